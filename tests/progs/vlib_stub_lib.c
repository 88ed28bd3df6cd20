/* vlib_stub_lib.c - a bundle's library for tests/integration/virt_libs.sh (built as libvlib_stub.so, copied into the bundle as libz.so.1 and libbz2.so.1.0): the two functions vlib_prog calls, saying they are the bundle's, each through a syscall site of its own (so that prepare writes it a sidecar with sites to patch). */
#include <sys/syscall.h>

static long own_getppid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
	return r;
}

const char *zlibVersion(void)
{
	return own_getppid() > 0 ? "bundle" : "bundle (no parent)";
}

const char *BZ2_bzlibVersion(void)
{
	return own_getppid() > 0 ? "bundle" : "bundle (no parent)";
}
