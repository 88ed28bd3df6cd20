// goroutines.go - statically linked Go program (CGO_ENABLED=0) for tests/integration/real_go.sh.
//
// Starts 8 goroutines; each computes a sum, reads FILE (openat, fstat, read,
// close through Go's own raw system calls) and asks the kernel for its
// thread's signal stack. Prints one line per goroutine, exits with status 3.
// The output depends only on FILE's contents, never on scheduling.
//
// The signal-stack line: the Go runtime gives every thread (M) an alternate
// signal stack in minit and runs goroutines on their own stacks, so natively
// sigaltstack(NULL, &old) from goroutine code always reports an enabled stack
// (ss_flags 0, ss_size > 0) that is not in use.
package main

import (
	"fmt"
	"hash/crc32"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

type stackT struct {
	sp    uintptr
	flags int32
	_     int32
	size  uintptr
}

func signalStack() string {
	var st stackT
	_, _, errno := syscall.RawSyscall(syscall.SYS_SIGALTSTACK, 0, uintptr(unsafe.Pointer(&st)), 0)
	switch {
	case errno != 0:
		return "sigaltstack failed: " + errno.Error()
	case st.flags == 0 && st.size > 0:
		return "enabled, not in use"
	default:
		return fmt.Sprintf("ss_flags %d, ss_size %d", st.flags, st.size)
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goroutines FILE")
		os.Exit(2)
	}
	const n = 8
	var wg sync.WaitGroup
	sums := make([]uint64, n)
	crcs := make([]uint32, n)
	stacks := make([]string, n)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var s uint64
			for k := 0; k < 200000; k++ {
				s += uint64(k % (i + 1))
			}
			sums[i] = s
			data, err := os.ReadFile(os.Args[1])
			if err != nil {
				errs <- err
				return
			}
			crcs[i] = crc32.ChecksumIEEE(data)
			stacks[i] = signalStack()
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	for i := 0; i < n; i++ {
		fmt.Printf("goroutine %d: sum %d, crc %08x, signal stack %s\n", i, sums[i], crcs[i], stacks[i])
	}
	fmt.Fprintln(os.Stderr, "goroutines: done")
	os.Exit(3)
}
