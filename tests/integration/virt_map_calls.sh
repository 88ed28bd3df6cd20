# virt_map_calls.sh - path maps on every other path-taking call: readlink(at), execve(at), mkdir(at), mknod(at), unlink(at), rmdir, rename(at,at2), link(at), symlink(at), truncate, utime(s), futimesat, utimensat, the chmod, chown and xattr families, statfs, inotify_add_watch, unix sockets; getcwd and /proc/self/cwd and fd/N show the program's names.
. "$TESTS/virt_lib.sh"

cp /bin/echo real/app/echo
ln -s x real/app/lnk
ln -s sub real/app/sublnk

# w/: what the writing calls change, made again before each run.
reset_w()
{
	rm -rf real/app/w && mkdir -p real/app/w/d real/app/w/gone &&
		echo f > real/app/w/f && echo old > real/app/w/old
}
VRESET=reset_w

vcompare "readlink, readlinkat of links inside the tree (their text as stored)" rw.yaml "$R/app" "$V/app" \
	$C readlink:@/lnk readlink:@/sublnk dir:@ readlinkat:d0:lnk readlinkat:cwd:@/sub/../sublnk \
	readlink:@/x open:@/lnk open:@/sublnk/y stat:@/sublnk/../x
vcompare "execve, execveat of a program in the tree" rw.yaml "$R/app" "$V/app" \
	$C exec:@/echo dir:@ execveat:d0:echo execveat:d0:../app/echo exec:@/nope
vcompare "mkdir, mkdirat, mknod, mknodat" rw.yaml "$R/app" "$V/app" \
	$C mkdir:@/w/m1 dir:@/w mkdirat:d0:m2 mkdirat:d0:../w/m3 mknod:@/w/fifo mknodat:d0:fifo2 \
	mkdir:@/w/d mode:@/w/m1 mode:@/w/m2 mode:@/w/m3 mode:@/w/fifo mode:@/w/fifo2
vcompare "unlink, unlinkat, rmdir" rw.yaml "$R/app" "$V/app" \
	$C unlink:@/w/f dir:@/w unlinkat:d0:old unlinkat:d0:gone:dir rmdir:@/w/d unlink:@/w/f \
	mode:@/w/f mode:@/w/d
vcompare "rename, renameat, renameat2 (both names)" rw.yaml "$R/app" "$V/app" \
	$C rename:@/w/f:@/w/f2 dir:@/w renameat:d0:f2:cwd:@/w/f3 renameat2:d0:old:d0:f3 \
	renameat2:d0:old:d0:old4 mode:@/w/f3 mode:@/w/old4 mode:@/w/old
vcompare "link, linkat; symlink, symlinkat (the target is stored as written)" rw.yaml "$R/app" "$V/app" \
	$C link:@/w/f:@/w/f-hard dir:@/w linkat:d0:old:d0:old-hard symlink:f:@/w/s1 \
	symlinkat:../x:d0:s2 symlink:@/x:@/w/s3 readlink:@/w/s1 readlink:@/w/s2 open:@/w/s2 \
	mode:@/w/f-hard mode:@/w/old-hard readlink:@/w/s3
vcompare "truncate, utime, utimes, futimesat, utimensat" rw.yaml "$R/app" "$V/app" \
	$C truncate:@/w/f:1 mode:@/w/f utime:@/w/f mtime:@/w/f utimes:@/w/old mtime:@/w/old \
	dir:@/w futimesat:d0:f mtime:@/w/f utimensat:d0:../w/old mtime:@/w/old
vcompare "chmod, fchmodat, chown, lchown, fchownat" rw.yaml "$R/app" "$V/app" \
	$C chmod:@/w/f:600 mode:@/w/f dir:@/w fchmodat:d0:old:640 mode:@/w/old chown:@/w/f \
	lchown:@/lnk fchownat:d0:old mode:@/w/f
if setfattr -n user.k23 -v 1 real/app/x 2> /dev/null; then
	setfattr -x user.k23 real/app/x
	vcompare "the xattr families" rw.yaml "$R/app" "$V/app" \
		$C setxattr:@/w/f getxattr:@/w/f lgetxattr:@/w/f listxattr:@/w/f llistxattr:@/w/f \
		lsetxattr:@/w/old removexattr:@/w/f lremovexattr:@/w/old getxattr:@/w/f listxattr:@/w/old
else
	vcompare "the xattr families (no user xattrs here: their errors)" rw.yaml "$R/app" "$V/app" \
		$C setxattr:@/w/f getxattr:@/w/f lgetxattr:@/w/f listxattr:@/w/f llistxattr:@/w/f \
		lsetxattr:@/w/old removexattr:@/w/f lremovexattr:@/w/old
fi
vcompare "statfs, inotify_add_watch" rw.yaml "$R/app" "$V/app" \
	$C statfs:@/x statfs:@/nope inotify:@/x inotify:@/sub inotify:@/nope
vcompare "unix sockets: bind, connect, getsockname, getpeername" rw.yaml "$R/app" "$V/app" \
	$C unix:@/w/sock mode:@/w/sock
vcompare "getcwd, /proc/self/cwd and /proc/self/fd/N show the program's names" rw.yaml "$R/app" "$V/app" \
	$C chdir:@/sub getcwd readlink:/proc/self/cwd dir:@/sub dir:.. fdlink:d0 fdlink:d1 getcwd:8 \
	readlink:/proc/self/cwd:5 chdir:.. getcwd chdir:.. getcwd
vcompare "pwd, ls -l /proc/self/fd, find in the tree" rw.yaml "$R/app" "$V/app" \
	sh -c 'cd @/sub && pwd && /bin/pwd && cd .. && find . -name "[xy]" | sort && ls -l /proc/self/cwd | sed "s/.*-> //"'
finish
