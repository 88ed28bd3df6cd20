# virt_map.sh - path maps (map:): a program run with a tree mapped at a name gets what it gets natively from the tree at its real place: open family, stat family, access family, chdir; relative names from a cwd or a dirfd inside the tree, ".." out of it; bad name pointers; a read-only map answers EROFS.
. "$TESTS/virt_lib.sh"

E=/etc/k23-vmap-$$
cat > ro.yaml <<Y
map:
  - path: $E
    to: $R/app
    access: read-only
Y

vcompare "cat, ls -l, stat of the mapped tree" rw.yaml "$R/app" "$V/app" \
	sh -c 'cat @/x @/sub/y; ls -l @ @/sub; stat -c "%n %s %a %F %i" @/x @/sub @/sub/y'
vcompare "a map at a name the host lacks (/etc)" ro.yaml "$R/app" "$E" \
	sh -c 'cat @/x; ls @; stat -c "%n %s %i" @/x'
vcompare "open, openat, openat2, stat, lstat, newfstatat, statx, access, faccessat, faccessat2" \
	rw.yaml "$R/app" "$V/app" $C open:@/x openat:cwd:@/sub/y openat2:cwd:@/x stat:@/x lstat:@/sub \
	fstatat:cwd:@/sub/y fstatat:cwd:@/sub:nofollow statx:cwd:@/x access:@/x faccessat:cwd:@/sub/y \
	faccessat2:cwd:@/x open:@/nope stat:@/sub/nope access:@/nope
vcompare "names made normal: //, ., trailing /, .. inside the tree" rw.yaml "$R/app" "$V/app" \
	$C open:@//sub/./y stat:@/sub/ stat:@/x/ open:@/sub/../x statx:cwd:@/sub/../sub/y
vcompare "'..' out of the mapped tree finds the tree's parent" rw.yaml "$R/app" "$V/app" \
	$C open:@/../sibling stat:@/../sibling statx:cwd:@/sub/../../sibling access:@/../app/x
vcompare "relative names from a dirfd inside the tree (and .. out of it)" rw.yaml "$R/app" "$V/app" \
	$C dir:@ dir:@/sub openat:d0:x openat:d0:sub/y openat:d1:../x openat:d0:../sibling \
	statx:d1:../../sibling fstatat:d1:y faccessat:d0:../app/sub/y openat2:d1:../../sibling
vcompare "relative names from a cwd outside the tree into it" rw.yaml "$R/app" "$V/app" \
	sh -c 'cd @/.. && exec '"$C"' open:app/x stat:app/sub/y openat:cwd:./app/sub/../x access:sibling'
vcompare "chdir into the tree, relative names there and .. out of it" rw.yaml "$R/app" "$V/app" \
	$C chdir:@/sub open:y open:../x stat:../../sibling statx:cwd:.. openat2:cwd:../../app/x
vcompare "names at bad addresses, in pages unmapped, moved, protected, or a heap shrunk: EFAULT" \
	rw.yaml "$R/app" "$V/app" $C badptr unmapped:@/x unmapped:/dev/null

# Writes: a read-write map writes into the tree; a read-only one refuses.
rm -f real/app/new
"$K23" run --policy rw.yaml -- $C openw:$V/app/new creat:$V/app/made > rw.out 2>&1
[ "$(cat real/app/new 2>/dev/null)" = w ] && [ -f real/app/made ] && [ ! -e virt/app/new ] &&
	ok "a read-write map: files written and created land in the target tree" ||
	{ not_ok "a read-write map writes into the target"; show_file out rw.out; }

# A read-only mount answers EROFS; the kernel's own answer where it fails
# anyway (ENOENT for a missing file opened to write, EEXIST for O_EXCL).
"$K23" run --policy ro.yaml -- $C openw:$E/new-ro creat:$E/x openw:$E/sub open:$E/x > ro.out 2>&1
cat > ro.want <<W
openw:$E/new-ro: EROFS
creat:$E/x: EROFS
openw:$E/sub: EROFS
open:$E/x: read "hello"
W
diff_check "a read-only map refuses to create or write (EROFS), reads" ro.want ro.out
[ ! -e real/app/new-ro ] && [ "$(cat real/app/x)" = hello ] &&
	ok "nothing was written through the read-only map" ||
	not_ok "the read-only map let a write through"
finish
