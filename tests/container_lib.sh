# tests/container_lib.sh - Podman for the container tests (tests/integration/container*.sh): a mount namespace, storage of the test's own, root file systems made from the host's files.
#
# Sourced after tests/lib.sh. Podman's global state that no option moves
# (the blob-info cache in /var/lib/containers, the lock segment in
# /dev/shm, files in /run) goes to tmpfs mounts of a mount namespace of the
# test's own, so nothing is left behind and a user's containers and images
# are never touched; storage (vfs), run state and network configuration are
# in the test's directory. Where containers cannot run, the test skips
# (exit 77, `skip` in tests/lib.sh) with the reason.

root=$(cd "$TESTS/.." && pwd -P)
real_k23=$root/build/k23

# container_ns "$@": first thing in a test: the test again, inside a mount
# namespace with those tmpfs mounts (or a SKIP saying why not).
container_ns()
{
	if [ -z "${K23_CONTAINER_NS-}" ]; then
		[ "$(id -u)" -eq 0 ] || skip "needs root (rootful Podman)"
		command -v podman > /dev/null || skip "podman is not installed (make deps installs it)"
		unshare -m --propagation private true 2> ns.err ||
			skip "no mount namespace here: $(head -n 1 ns.err)"
		exec unshare -m --propagation private env K23_CONTAINER_NS=1 bash "$0" "$@"
	fi
	local d
	for d in /run /var/lib /dev/shm; do
		case $PWD/ in "$d"/*) continue ;; esac	# not over the test's own directory
		mount -t tmpfs -o mode=755 k23-test "$d" 2> ns.err ||
			skip "cannot mount a tmpfs on $d: $(cat ns.err)"
	done
	chmod 1777 /dev/shm
	umask 022
}

# k23's options for this pass of run-integration (its K23 is a wrapper
# script there; an image holds build/k23 itself).
mode_opts=()
case ${TESTS_PATCHING:-on} in
off) mode_opts+=(--no-patch) ;;
page0) mode_opts+=(--patch=page0) ;;
esac
[ -n "${TESTS_CATCH_ALL-}" ] && mode_opts+=("--catch-all=$TESTS_CATCH_ALL")

# --- root file systems from the host's files ---------------------------------

# rootfs_init DIR: an empty root file system with the host's top-level
# symlinks (/bin -> usr/bin on a merged /usr).
rootfs_init()
{
	local r=$1 d
	mkdir -p "$r/etc" "$r/tmp" && chmod 1777 "$r/tmp" || return 1
	for d in bin sbin lib lib32 lib64 libx32; do
		[ -L "/$d" ] || continue
		cp -a "/$d" "$r/" && mkdir -p "$r/$(readlink "/$d")" || return 1
	done
}

# copy_in DIR PATH: the file at PATH into DIR at the same path, and every
# symlink on the way to it (ld.so's /lib64 name, sh -> dash).
copy_in()
{
	local r=$1 p=$2 t
	while :; do
		mkdir -p "$r$(dirname "$p")" && cp -P --preserve=mode,timestamps "$p" "$r$p" || return 1
		[ -L "$p" ] || return 0
		t=$(readlink "$p")
		case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
	done
}

# rootfs_add DIR CACHE PROG...: each PROG (a name looked up in PATH, or a
# path) and every object `k23 prepare --cache CACHE PROG` names (the
# program, its interpreter, its library closure, resolved as ld.so does)
# copied into DIR: DIR then holds exactly what the sidecars in CACHE
# describe. Files of the build tree (k23-prepare) are not copied (the caller
# puts them where they belong). Reports what fails; status 1 then.
rootfs_add()
{
	local r=$1 cache=$2 p f o rc=0
	shift 2
	for p in "$@"; do
		f=$(command -v "$p") || { not_ok "$p found on the host"; rc=1; continue; }
		if ! "$real_k23" prepare --cache "$cache" "$f" > prepare.out 2> prepare.err; then
			not_ok "k23 prepare $f"
			show_file prepare.err prepare.err
			rc=1
		fi
		sed -n 's/^k23: \[[0-9]*\/[0-9]*\] \(\/.*\): \(up to date\|[0-9]* sites\).*/\1/p' \
			prepare.err > objects
		[ -s objects ] ||
			{ not_ok "k23 prepare $f named its objects"; show_file prepare.err prepare.err; rc=1; }
		grep -qx "$f" objects || echo "$f" >> objects
		while IFS= read -r o; do
			case $o in "$root"/*) continue ;; esac
			copy_in "$r" "$o" || rc=1
		done < objects
	done
	return $rc
}

# --- Podman ------------------------------------------------------------------

# podman_init: storage, state and configuration in ./podman; pm runs
# podman with them. runc where it is installed: crun (Podman's other
# runtime) fails on some VMs' cgroup setups where runc works. The limits of
# run_opts are given because Podman's default (nofile 1048576) exceeds what
# some hosts let a container set. Images and containers are removed at exit.
podman_init()
{
	S=$PWD/podman
	mkdir -p "$S/tmp" "$S/net" || return 1
	cat > "$S/storage.conf" <<-EOF
	[storage]
	driver = "vfs"
	graphroot = "$S/root"
	runroot = "$S/run"
	EOF
	export CONTAINERS_STORAGE_CONF=$S/storage.conf TMPDIR=$S/tmp
	runtime=()
	command -v runc > /dev/null && runtime=(--runtime "$(command -v runc)")
	run_opts=(--rm --pull=never --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
	# page0 maps address 0, which needs CAP_SYS_RAWIO.
	[ "${TESTS_PATCHING:-on}" = page0 ] && run_opts+=(--cap-add SYS_RAWIO)
	trap podman_cleanup EXIT
}
pm()
{
	podman --root "$S/root" --runroot "$S/run" --tmpdir "$S/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend none --network-config-dir "$S/net" \
		"${runtime[@]}" "$@"
}
podman_cleanup()
{
	pm rm -af -t 0 > /dev/null 2>&1
	pm rmi -af > /dev/null 2>&1
	rm -rf "$S"
}

# podman_probe IMAGE: can containers run here at all? The image's sh,
# without k23; a SKIP with Podman's error when not.
podman_probe()
{
	if ! pm run "${run_opts[@]}" --entrypoint /bin/sh "$1" -c 'echo probe' > probe.out 2>&1 ||
		[ "$(cat probe.out)" != probe ]; then
		skip "containers cannot run here (podman ${runtime[*]} run): $(grep -v '^probe$' probe.out |
			tail -n 2 | paste -sd ' ')"
	fi
}

# podman_stats IMAGE WHERE: `k23 run --stats` (with this pass's options) of
# sh -c 'ls -la /srv/tree | cat' in IMAGE, overriding its entrypoint: status
# 0, every object found its sidecar (none without, none stale), sites were
# patched at load and more calls came through patched sites than through
# the catch-alls; in the --no-patch pass, no call through a patched site.
podman_stats()
{
	local f=stats.err what="sh -c 'ls -la | cat' in $2" rc calls objects atload patched sud seccomp \
		with without stale
	pm run "${run_opts[@]}" --entrypoint '["/usr/lib/k23/k23","run","--stats"]' "$1" \
		"${mode_opts[@]}" -- /bin/sh -c 'ls -la /srv/tree | cat > /dev/null' > stats.out 2> "$f"
	rc=$?
	[ $rc -eq 0 ] && ok "k23 run --stats in $2: status 0" ||
		{ not_ok "k23 run --stats in $2: status $rc"; show_file "$f" "$f"; }
	calls=$(sed -n 's/^k23 stats: calls: patched \([0-9]*\), sud \([0-9]*\), seccomp \([0-9]*\)$/\1 \2 \3/p' "$f")
	objects=$(sed -n 's/^k23 stats: objects: with sidecar \([0-9]*\), without sidecar \([0-9]*\), stale sidecar \([0-9]*\)$/\1 \2 \3/p' "$f")
	atload=$(sed -n 's/^k23 stats: sites: patched [0-9]* (at load \([0-9]*\),.*/\1/p' "$f")
	if [ -z "$calls" ] || [ -z "$objects" ] || [ -z "$atload" ]; then
		not_ok "k23 run --stats: $what"
		show_file "$f" "$f"
		return
	fi
	read -r patched sud seccomp <<< "$calls"
	read -r with without stale <<< "$objects"
	if [ "${TESTS_PATCHING:-on}" = off ]; then
		[ "$patched" -eq 0 ] && [ $((sud + seccomp)) -gt 0 ] &&
			ok "--no-patch: every call through a catch-all ($calls): $what" ||
			{ not_ok "--no-patch: every call through a catch-all: $what"; show_file "$f" "$f"; }
		return
	fi
	[ "$with" -gt 0 ] && [ "$without" -eq 0 ] && [ "$stale" -eq 0 ] &&
		ok "every object found its sidecar in the image (with $with, without $without, stale $stale): $what" ||
		{ not_ok "every object found its sidecar in the image: $what"; show_file "$f" "$f"; }
	[ "$atload" -gt 0 ] && [ "$patched" -gt $((sud + seccomp)) ] &&
		ok "calls came through patched sites (patched $patched, sud $sud, seccomp $seccomp; $atload sites patched at load): $what" ||
		{ not_ok "calls came through patched sites: $what"; show_file "$f" "$f"; }
}

# podman_both NAME IMAGE CMD...: IMAGE run as built (k23 its entrypoint) and
# with the entrypoint overridden by CMD's own program (no k23), each
# writing NAME.{k23,native}.{out,err,rc}.
podman_both()
{
	local name=$1 image=$2
	shift 2
	pm run "${run_opts[@]}" "$image" "$@" > "$name.k23.out" 2> "$name.k23.err"
	echo $? > "$name.k23.rc"
	pm run "${run_opts[@]}" --entrypoint "$1" "$image" "${@:2}" > "$name.native.out" 2> "$name.native.err"
	echo $? > "$name.native.rc"
}

# same_files NAME WHAT: NAME.native.{out,err,rc} equal NAME.k23.{out,err,rc}.
same_files()
{
	local n=$1 bad=0 s
	for s in out err rc; do cmp -s "$n.native.$s" "$n.k23.$s" || bad=1; done
	if [ $bad = 0 ]; then
		ok "same stdout, stderr, $(describe_status "$(cat "$n.native.rc")"): $2"
		return
	fi
	not_ok "same stdout, stderr, status: $2"
	for s in rc out err; do
		cmp -s "$n.native.$s" "$n.k23.$s" || { echo "  $s differs (< native, > k23):"
			diff "$n.native.$s" "$n.k23.$s" | head -n 30 | sed 's/^/  /'; }
	done
}
