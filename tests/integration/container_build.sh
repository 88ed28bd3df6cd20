# container_build.sh - the Containerfile of docs/containers.md, built with `podman build`: a base image (sh, ls, cat, imported from a tarball made here) stands for the application's image, a COPY of k23's files for installing k23's package; the sidecars are prepared in the build's own stage, and the final image holds only the static k23 and the cache. Its default command's output and status equal the same command without k23, and --stats shows every object's sidecar found. SKIP (exit 77) when containers cannot run here.
. "$TESTS/lib.sh"
. "$TESTS/container_lib.sh"
container_ns "$@"

# The application's image: its programs and their libraries, no k23.
A=$PWD/app
rootfs_init "$A" && rootfs_add "$A" "$PWD/scratch-cache" sh ls cat && fixture_tree "$A/srv" &&
	tar -C "$A" --numeric-owner -cf app.tar . &&
	ok "application image's root file system ($(du -sk "$A" | cut -f1) KiB)" ||
	{ not_ok "application image's root file system"; finish; }
# What `apt install ./k23_*.deb` puts into an image: k23, k23-prepare and
# k23-prepare's libraries.
C=$PWD/context
mkdir -p "$C/k23/usr/lib/k23" && cp "$real_k23" "$root/build/k23-core" "$root/build/k23-prepare" "$C/k23/usr/lib/k23/" &&
	rootfs_add "$C/k23" "$PWD/scratch-cache" "$root/build/k23-prepare" ||
	{ not_ok "k23's files for the build"; finish; }

# docs/containers.md's Containerfile, but for its first stage (the
# application's image here is the tarball's) and how k23 arrives (the
# package installed there, copied here).
cat > "$C/Containerfile" <<'EOF'
FROM localhost/k23-app AS app

FROM app AS prepare
COPY k23/ /
RUN for p in /bin/sh /usr/bin/ls /usr/bin/cat; do \
        /usr/lib/k23/k23 prepare --cache /var/cache/k23 "$p" || exit 1; \
    done

FROM app
COPY --from=prepare /usr/lib/k23/k23 /usr/lib/k23/k23
COPY --from=prepare /usr/lib/k23/k23-core /usr/lib/k23/k23-core
COPY --from=prepare /var/cache/k23 /var/cache/k23
ENV K23_CACHE=/var/cache/k23
ENTRYPOINT ["/usr/lib/k23/k23", "run", "--"]
CMD ["ls", "-la", "/srv/tree", "/srv/tree/sub-a"]
EOF

podman_init || { not_ok "podman storage made"; finish; }
pm import app.tar localhost/k23-app > import.out 2>&1 || skip "podman import fails here: $(tail -n 1 import.out)"
podman_probe localhost/k23-app
image=localhost/k23-build-test:latest
if pm build --layers=false --pull=never --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	-t "$image" "$C" > build.out 2>&1; then
	ok "podman build of the Containerfile"
else
	not_ok "podman build of the Containerfile"
	show_file build.out build.out
	finish
fi

# The final image holds the static k23 (its launcher and core) alone, not k23-prepare.
pm run "${run_opts[@]}" --entrypoint /bin/ls "$image" /usr/lib/k23 > k23dir.out 2>&1
printf 'k23\nk23-core\n' > k23dir.expected
diff_check "the final image holds k23 and k23-core alone in /usr/lib/k23" k23dir.expected k23dir.out

# The default command (CMD) under k23, and the same with the entrypoint
# overridden (no k23).
pm run "${run_opts[@]}" "$image" > cmd.k23.out 2> cmd.k23.err
echo $? > cmd.k23.rc
pm run "${run_opts[@]}" --entrypoint ls "$image" -la /srv/tree /srv/tree/sub-a \
	> cmd.native.out 2> cmd.native.err
echo $? > cmd.native.rc
same_files cmd "the image's default command (ls -la) through its entrypoint"

podman_stats "$image" "the built image"

finish
