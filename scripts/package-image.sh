#!/usr/bin/env bash
# The OCI image, without any image registry: a Debian root filesystem from Debian's package
# archive (debootstrap --variant=minbase, cached in .build/image-base), plus the static binary
# and a non-root user, imported with `podman import` and saved as an OCI archive. Then the
# image is started once (--version, and --demo answering /metrics) to prove it runs.
# usage: scripts/package-image.sh BINARY VERSION ARCH OUTDIR   (scripts/package.sh --image)
# Needs root, debootstrap and podman. DEBIAN_MIRROR overrides http://deb.debian.org/debian.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$1" version="$2" arch="$3" out="$4"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
image="localhost/atsign_exporter:$version"
base=".build/image-base/$suite-$arch-minbase-yaml.tar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ ! -s "$base" ]]; then
    # libssl3, libyaml-0-2 and ca-certificates beside what minbase has (libc6, libstdc++6,
    # zlib1g, libcrypt1).
    debootstrap --variant=minbase --arch="$arch" --include=libssl3,libyaml-0-2,ca-certificates "$suite" "$work/base" "$mirror" \
        >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
    # What a runtime image does not need: package caches, docs, manuals, locales.
    rm -rf "$work"/base/var/cache/apt/* "$work"/base/var/lib/apt/lists/* "$work"/base/usr/share/doc/* \
        "$work"/base/usr/share/man/* "$work"/base/usr/share/info/* "$work"/base/usr/share/locale/* \
        "$work"/base/var/log/* "$work"/base/var/cache/debconf/*-old
    mkdir -p "$(dirname "$base")"
    tar -C "$work/base" --numeric-owner -cf "$base.new" . && mv "$base.new" "$base"
    rm -rf "$work/base"
fi

root="$work/rootfs"
mkdir "$root"
tar -C "$root" --numeric-owner -xf "$base"
install -m 0755 "$binary" "$root/usr/local/bin/atsign_exporter"
install -m 0755 deploy/docker/healthcheck.sh "$root/usr/local/bin/atsign_exporter_healthcheck"
# The same numeric user as deploy/docker/Dockerfile, so Kubernetes' runAsNonRoot can check it.
echo 'atsign:x:65532:' >>"$root/etc/group"
echo 'atsign:x:65532:65532:atsign_exporter:/nonexistent:/usr/sbin/nologin' >>"$root/etc/passwd"
tar -C "$root" --numeric-owner --sort=name -cf "$work/rootfs.tar" .
podman rmi -f "$image" >/dev/null 2>&1 || true
podman import --quiet \
    --change 'ENTRYPOINT ["/usr/local/bin/atsign_exporter"]' --change 'USER 65532:65532' \
    --change 'EXPOSE 9713' --change 'WORKDIR /' \
    --change "LABEL org.opencontainers.image.version=$version" \
    --change 'LABEL org.opencontainers.image.licenses=BSD-3-Clause' \
    --change 'LABEL org.opencontainers.image.title=atsign_exporter' \
    --message "atsign_exporter $version: Debian $suite minbase + static binary" \
    "$work/rootfs.tar" "$image" >/dev/null
archive="$out/atsign_exporter-$version.linux-$arch.oci.tar"
rm -f "$archive"
podman save --quiet --format oci-archive -o "$archive" "$image"
echo "built $archive ($image)"
scripts/smoke-image.sh "$image"
