# container.sh - k23 as a container's entrypoint (docs/containers.md): a root file system made here (the static k23, k23-prepare, sh, ls, cat, mkdir and their libraries, a sidecar cache prepared at build time) is imported with `podman import --change ENTRYPOINT=...` and run with Podman --network=none: the programs' output and status equal a run of the same image with the entrypoint overridden (no k23), --stats shows the calls coming through patched sites of sidecar-described objects, and a policy confines a program inside the container as it does on the host. SKIP (exit 77) when containers cannot run here.
. "$TESTS/lib.sh"
. "$TESTS/container_lib.sh"
container_ns "$@"

# --- the root file system -----------------------------------------------------
# Sidecars are prepared at build time into the image's cache, and the image
# holds exactly the objects they describe; k23-prepare and its libraries
# are there for --policy.
R=$PWD/rootfs
cache=$R/var/cache/k23
rootfs_init "$R" && mkdir -p "$R/usr/lib/k23" "$cache" "$R/srv" &&
	cp "$real_k23" "$root/build/k23-core" "$root/build/k23-prepare" "$R/usr/lib/k23/" || { not_ok "root file system started"; finish; }
rootfs_add "$R" "$cache" sh ls cat mkdir "$root/build/k23-prepare" &&
	ok "root file system with a sidecar cache ($(ls "$cache" | grep -c '\.k23$') sidecars, $(du -sk "$R" | cut -f1) KiB)" ||
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

# --- Podman ---------------------------------------------------------------------
podman_init || { not_ok "podman storage made"; finish; }
image=localhost/k23-container-test:latest
entry=$(printf '"%s",' /usr/lib/k23/k23 run "${mode_opts[@]}" --)
if ! pm import --change "ENTRYPOINT [${entry%,}]" --change "ENV K23_CACHE=/var/cache/k23" \
	--change "WORKDIR /srv" rootfs.tar "$image" > import.out 2>&1; then
	skip "podman import fails here: $(tail -n 1 import.out)"
fi
ok "podman import with ENTRYPOINT [${entry%,}]"
podman_probe "$image"

# (a) The program's output and status are its own.
podman_both ls "$image" /usr/bin/ls -la /srv/tree /srv/tree/sub-a /usr/lib/k23
same_files ls "in the container: ls -la (owners without names, symlinks, a FIFO)"
podman_both sh "$image" /bin/sh -c 'cat /srv/data/public | cat -n; ls -d /srv/tree/sub-*; ls /srv/missing; exit 3'
same_files sh "in the container: sh -c 'cat | cat -n; ls; ls of a missing file; exit 3'"

# (b) Inside the container, calls come through the sites the image's
# sidecars describe: every object of sh, ls and cat has its sidecar from
# the image, fresh; their sites are patched at load; most calls take them.
podman_stats "$image" "the container"

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
hostcache=${K23_CACHE:-$PWD/hostcache}	# not in host/, which the command lists
(cd host && exec env -i PATH=/usr/bin:/bin K23_CACHE="$hostcache" "$real_k23" run --policy "$R/srv/policy.yaml" \
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
