# exec_errors.sh - execve and execveat fail with the kernel's errno: noexec mounts, non-regular files, ETXTBSY, execveat's argument checks, #! interpreters; no_new_privs with a setuid program.
. "$TESTS/lib.sh"
ee="$PROGS/exec_errors"
cp /bin/true prog
ln -s prog link
mkdir dir
printf 'no format\n' > text && chmod +x text
cp prog noperm && chmod 644 noperm
printf '#!/nonexistent/interpreter\n' > nointerp && chmod +x nointerp
printf '#!%s\n' "$PWD/text" > badinterp && chmod +x badinterp
compare_run -- "$ee" path /nonexistent
compare_run -- "$ee" path dir
compare_run -- "$ee" path /dev/null
compare_run -- "$ee" path text
compare_run -- "$ee" path noperm
compare_run -- "$ee" path nointerp
compare_run -- "$ee" path badinterp
# An ELF whose PT_INTERP names a dynamic loader that does not exist.
sed 's|ld-linux-x86-64\.so\.2|ld-linux-x86-64.so.X|g' prog > badld && chmod +x badld
compare_run -- "$ee" path ./badld
compare_run -- "$ee" badargv ./prog
compare_run -- "$ee" busy ./prog
# execveat's own checks.
compare_run -- "$ee" badfd prog 0
compare_run -- "$ee" at . prog 0x8000
compare_run -- "$ee" at . link 256
compare_run -- "$ee" atpath prog prog 0
compare_run -- "$ee" atpath prog prog 4096
compare_run -- "$ee" at . prog 4096
compare_run -- "$ee" atpath dir "" 4096
# A noexec mount, in a private mount namespace that ends with the run
# (nothing stays mounted): the file and a #! script on it, and a script
# whose interpreter is on it.
if [ "$(id -u)" = 0 ] && unshare -m true 2> /dev/null; then
	mkdir nx
	printf '#!/bin/sh\necho script ran\n' > script
	printf '#!%s/nx/prog\n' "$PWD" > usesnx && chmod +x usesnx
	on_noexec()
	{
		compare_run -- unshare -m --propagation private sh -c \
			'mount -t tmpfs -o noexec none nx && cp prog script nx/ && chmod +x nx/script && exec "$@"' \
			sh "$ee" "$@"
	}
	on_noexec path nx/prog
	on_noexec path nx/script
	on_noexec path ./usesnx
	on_noexec atpath nx/prog "" 4096
else
	echo "# skip: the noexec cases need root and mount namespaces"
fi
# no_new_privs and a setuid program: it runs, without gaining privileges.
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
	cp "$PROGS/print_ids" suid && chown root suid && chmod 4755 suid
	chmod 755 .
	compare_run -- setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs ./suid
else
	echo "# skip: the setuid case needs root and a user nobody"
fi
finish
