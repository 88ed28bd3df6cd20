# container.sh - k23 as a container's entrypoint (docs/containers.md): a root file system made here (the static k23, k23-prepare, sh, ls, cat, mkdir and their libraries, a sidecar cache prepared at build time) is imported with `podman import --change ENTRYPOINT=...` and run with Podman --network=none: the programs' output and status equal a run of the same image with the entrypoint overridden (no k23), --stats shows the calls coming through patched sites of sidecar-described objects, and a policy confines a program inside the container as it does on the host. SKIP (exit 77) when containers cannot run here.
. "$TESTS/lib.sh"
root=$(cd "$TESTS/.." && pwd -P)
real_k23=$root/build/k23

# Podman's global state that no option moves (the blob-info cache in
# /var/lib/containers, the lock segment in /dev/shm, files in /run) lives in
# tmpfs mounts of a mount namespace of this test's own, so nothing is left
# behind and a user's own containers and images are never touched. The
# whole test runs inside it.
if [ -z "${K23_CONTAINER_NS-}" ]; then
	[ "$(id -u)" -eq 0 ] || skip "needs root (rootful Podman)"
	command -v podman > /dev/null || skip "podman is not installed (make deps installs it)"
	unshare -m --propagation private true 2> ns.err ||
		skip "no mount namespace here: $(head -n 1 ns.err)"
	exec unshare -m --propagation private env K23_CONTAINER_NS=1 bash "$0" "$@"
fi
for d in /run /var/lib /dev/shm; do
	case $PWD/ in "$d"/*) continue ;; esac	# not over this test's own directory
	mount -t tmpfs -o mode=755 k23-test "$d" 2> ns.err || skip "cannot mount a tmpfs on $d: $(cat ns.err)"
done
chmod 1777 /dev/shm

# k23's options for this pass of run-integration (its K23 is a wrapper
# script there; the image holds build/k23 itself).
mode_opts=()
case ${TESTS_PATCHING:-on} in
off) mode_opts+=(--no-patch) ;;
page0) mode_opts+=(--patch=page0) ;;
esac
[ -n "${TESTS_CATCH_ALL-}" ] && mode_opts+=("--catch-all=$TESTS_CATCH_ALL")

# --- the root file system -----------------------------------------------------
umask 022
R=$PWD/rootfs
mkdir -p "$R/usr/lib/k23" "$R/var/cache/k23" "$R/srv" "$R/etc" "$R/tmp" && chmod 1777 "$R/tmp"
# The host's top-level symlinks (/bin -> usr/bin on a merged /usr).
for d in bin sbin lib lib32 lib64 libx32; do
	[ -L "/$d" ] || continue
	cp -a "/$d" "$R/" && mkdir -p "$R/$(readlink "/$d")"
done
# copy_in PATH: the file at PATH into the image at the same path, and every
# symlink on the way to it (ld.so's /lib64 name, sh -> dash).
copy_in()
{
	local p=$1 t
	while :; do
		mkdir -p "$R$(dirname "$p")" && cp -P --preserve=mode,timestamps "$p" "$R$p" || return 1
		[ -L "$p" ] || return 0
		t=$(readlink "$p")
		case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
	done
}
cp "$real_k23" "$root/build/k23-prepare" "$R/usr/lib/k23/" || { not_ok "k23 copied into the image"; finish; }

# Sidecars are prepared at build time into the image's cache; each object
# k23 prepare names (the program, its interpreter, its library closure,
# resolved as ld.so does) is copied in: the image holds exactly what its
# sidecars describe. k23-prepare's own libraries are there for --policy.
cache=$R/var/cache/k23
build_ok=1
for p in sh ls cat mkdir "$root/build/k23-prepare"; do
	f=$(command -v "$p") || { not_ok "$p found on the host"; build_ok=0; continue; }
	case $f in "$root"/*) ;; *) copy_in "$f" || build_ok=0 ;; esac
	"$real_k23" prepare --cache "$cache" "$f" > prepare.out 2> prepare.err ||
		{ not_ok "k23 prepare $f"; show_file prepare.err prepare.err; build_ok=0; }
	sed -n 's/^k23: \[[0-9]*\/[0-9]*\] \(\/.*\): \(up to date\|[0-9]* sites\).*/\1/p' prepare.err > objects
	[ -s objects ] || { not_ok "k23 prepare $f named its objects"; show_file prepare.err prepare.err; build_ok=0; }
	while IFS= read -r o; do
		case $o in "$root"/*) ;; *) copy_in "$o" || build_ok=0 ;; esac
	done < objects
done
[ $build_ok = 1 ] && ok "root file system with a sidecar cache ($(ls "$cache" | grep -c '\.k23$') sidecars, $(du -sk "$R" | cut -f1) KiB)" ||
	{ not_ok "root file system built"; finish; }
# What the programs list and read: fixed files of the image's own.
fixture_tree "$R/srv"
mkdir -p "$R/srv/data" && echo "public data" > "$R/srv/data/public" && echo "secret data" > "$R/srv/data/secret"
cat > "$R/srv/policy.yaml" <<'EOF'
# Calls refused by the kernel (seccomp), one file by the in-process layer.
default: allow
calls:
  - errno: EACCES
    calls: [mkdir, mkdirat]
files:
  - allow: read-write
    paths: [/]
  - deny: all
    paths: ["${CWD}/secret"]
    errno: ENOENT
EOF
tar -C "$R" --numeric-owner -cf rootfs.tar . || { not_ok "rootfs.tar written"; finish; }

# --- Podman, with storage, state and configuration of its own ---------------
S=$PWD/podman
mkdir -p "$S/tmp" "$S/net"
cat > "$S/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$S/root"
runroot = "$S/run"
EOF
export CONTAINERS_STORAGE_CONF=$S/storage.conf TMPDIR=$S/tmp
# runc where it is installed: crun (Podman's other runtime) fails on some
# VMs' cgroup setups where runc works. The limits are given because the
# default (Podman raises nofile to 1048576) exceeds what some hosts allow a
# container.
runtime=()
command -v runc > /dev/null && runtime=(--runtime "$(command -v runc)")
pm()
{
	podman --root "$S/root" --runroot "$S/run" --tmpdir "$S/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend none --network-config-dir "$S/net" \
		"${runtime[@]}" "$@"
}
image=localhost/k23-container-test:latest
cleanup()
{
	pm rm -af -t 0 > /dev/null 2>&1
	pm rmi -af > /dev/null 2>&1
	rm -rf "$S" "$R"
}
trap cleanup EXIT
run_opts=(--rm --pull=never --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
# page0 maps address 0, which needs CAP_SYS_RAWIO.
[ "${TESTS_PATCHING:-on}" = page0 ] && run_opts+=(--cap-add SYS_RAWIO)

entry=$(printf '"%s",' /usr/lib/k23/k23 run "${mode_opts[@]}" --)
if ! pm import --change "ENTRYPOINT [${entry%,}]" --change "ENV K23_CACHE=/var/cache/k23" \
	--change "WORKDIR /srv" rootfs.tar "$image" > import.out 2>&1; then
	skip "podman import fails here: $(tail -n 1 import.out)"
fi
ok "podman import with ENTRYPOINT [${entry%,}]"
# Can containers run here at all? Without k23: the image's sh, by path.
if ! pm run "${run_opts[@]}" --entrypoint /bin/sh "$image" -c 'echo probe' > probe.out 2>&1 ||
	[ "$(cat probe.out)" != probe ]; then
	skip "containers cannot run here (podman ${runtime[*]} run): $(grep -v '^probe$' probe.out | tail -n 2 | paste -sd ' ')"
fi

# podman_both NAME CMD...: the image run as built (k23 is its entrypoint) and
# with the entrypoint overridden by CMD's own program (no k23): NAME.{k23,native}.{out,err,rc}.
podman_both()
{
	local name=$1
	shift
	pm run "${run_opts[@]}" "$image" "$@" > "$name.k23.out" 2> "$name.k23.err"
	echo $? > "$name.k23.rc"
	pm run "${run_opts[@]}" --entrypoint "$1" "$image" "${@:2}" > "$name.native.out" 2> "$name.native.err"
	echo $? > "$name.native.rc"
}
# same_both NAME WHAT: stdout, stderr and status equal.
same_both()
{
	local n=$1 bad=0 s
	for s in out err rc; do cmp -s "$n.native.$s" "$n.k23.$s" || bad=1; done
	if [ $bad = 0 ]; then
		ok "same stdout, stderr, $(describe_status "$(cat "$n.native.rc")") in the container: $2"
		return
	fi
	not_ok "same stdout, stderr, status in the container: $2"
	for s in rc out err; do
		cmp -s "$n.native.$s" "$n.k23.$s" ||
			{ echo "  $s differs (< native, > k23):"; diff "$n.native.$s" "$n.k23.$s" | head -n 30 | sed 's/^/  /'; }
	done
}

# (a) The program's output and status are its own.
podman_both ls /usr/bin/ls -la /srv/tree /srv/tree/sub-a /usr/lib/k23
same_both ls "ls -la (owners without names, symlinks, a FIFO)"
podman_both sh /bin/sh -c 'cat /srv/data/public | cat -n; ls -d /srv/tree/sub-*; ls /srv/missing; exit 3'
same_both sh "sh -c 'cat | cat -n; ls; ls of a missing file; exit 3'"

# (b) Inside the container, calls come through the sites the image's
# sidecars describe.
pm run "${run_opts[@]}" --entrypoint '["/usr/lib/k23/k23","run","--stats"]' "$image" \
	"${mode_opts[@]}" -- /bin/sh -c 'ls -la /srv/tree | cat > /dev/null' > stats.out 2> stats.err
rc=$?
calls=$(sed -n 's/^k23 stats: calls: patched \([0-9]*\), sud \([0-9]*\), seccomp \([0-9]*\)$/\1 \2 \3/p' stats.err)
objects=$(sed -n 's/^k23 stats: objects: with sidecar \([0-9]*\), without sidecar \([0-9]*\), stale sidecar \([0-9]*\)$/\1 \2 \3/p' stats.err)
atload=$(sed -n 's/^k23 stats: sites: patched [0-9]* (at load \([0-9]*\),.*/\1/p' stats.err)
read -r patched sud seccomp <<< "$calls"
read -r with without stale <<< "$objects"
if [ $rc -ne 0 ] || [ -z "$calls" ] || [ -z "$objects" ] || [ -z "$atload" ]; then
	not_ok "k23 run --stats in the container (status $rc)"
	show_file stats.err stats.err
elif [ "${TESTS_PATCHING:-on}" = off ]; then
	[ "$patched" -eq 0 ] && [ $((sud + seccomp)) -gt 0 ] &&
		ok "--no-patch in the container: every call through a catch-all ($calls)" ||
		{ not_ok "--no-patch in the container: every call through a catch-all"; show_file stats.err stats.err; }
else
	# Every object of sh, ls and cat has its sidecar from the image, fresh;
	# their sites are patched at load; most calls take them.
	[ "$with" -gt 0 ] && [ "$without" -eq 0 ] && [ "$stale" -eq 0 ] &&
		ok "every object in the container found its sidecar in the image ($objects: with, without, stale)" ||
		{ not_ok "every object in the container found its sidecar in the image"; show_file stats.err stats.err; }
	[ "$atload" -gt 0 ] && [ "$patched" -gt $((sud + seccomp)) ] &&
		ok "calls in the container came through patched sites (patched $patched, sud $sud, seccomp $seccomp; $atload sites patched at load)" ||
		{ not_ok "calls in the container came through patched sites"; show_file stats.err stats.err; }
fi

# (c) A policy confines the program in the container as it does on the
# host: the same command, the same policy, the same programs (the image's
# are the host's), in a copy of the same directory; and not as natively.
polcmd='cat public; cat secret; echo "cat: $?"; mkdir made; echo "mkdir: $?"; ls'
pm run "${run_opts[@]}" --workdir /srv/data \
	--entrypoint '["/usr/lib/k23/k23","run","--policy","/srv/policy.yaml"]' "$image" \
	"${mode_opts[@]}" -- /bin/sh -c "$polcmd" > pol.k23.out 2> pol.k23.err
echo $? > pol.k23.rc
pm run "${run_opts[@]}" --workdir /srv/data --entrypoint /bin/sh "$image" -c "$polcmd" \
	> pol.native.out 2> pol.native.err
echo $? > pol.native.rc
mkdir host && cp "$R/srv/data/public" "$R/srv/data/secret" host/
(cd host && exec env -i PATH=/usr/bin:/bin K23_CACHE="${K23_CACHE:-$PWD/hostcache}" "$real_k23" run --policy "$R/srv/policy.yaml" \
	"${mode_opts[@]}" -- /bin/sh -c "$polcmd") > pol.host.out 2> pol.host.err
echo $? > pol.host.rc
bad=0
for s in out err rc; do cmp -s "pol.host.$s" "pol.k23.$s" || bad=1; done
if [ $bad = 0 ] && grep -qx 'cat: 1' pol.k23.out && grep -qx 'mkdir: 1' pol.k23.out; then
	ok "--policy in the container: a file refused in-process, mkdir by the kernel, as on the host"
else
	not_ok "--policy in the container acts as on the host"
	for s in out err rc; do show_file "host $s" "pol.host.$s"; show_file "container $s" "pol.k23.$s"; done
fi
grep -qx 'cat: 0' pol.native.out && grep -qx 'mkdir: 0' pol.native.out &&
	ok "without k23 the same container reads the file and makes the directory" ||
	{ not_ok "without k23 the same container reads the file and makes the directory"; show_file native pol.native.out; }

finish
