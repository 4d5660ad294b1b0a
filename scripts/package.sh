#!/usr/bin/env bash
# Release artifacts into dist/, from a clean checkout:
#   atsign_exporter-VERSION.linux-ARCH.tar.gz  the binary (Swift runtime linked in statically),
#                                             LICENSE, README.md, CHANGELOG.md, deploy/, grafana/
#   atsign-exporter_VERSION-1_ARCH.deb         binary, systemd units, /etc/default file, system user
#   atsign_exporter-VERSION.linux-ARCH.oci.tar an OCI image (with --image; see scripts/package-image.sh)
#   sha256sums.txt                             checksums of the above, as Prometheus releases have
#
# usage: scripts/package.sh [--image] [--skip-build]
#   --image       also build the OCI image (debootstrap + podman; minutes, needs root)
#   --skip-build  package the release binary already built (by an earlier run)
# Needs: the Swift toolchain, dpkg-dev (dpkg-deb, dpkg-shlibdeps); lintian when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
image=0
build=1
for arg in "$@"; do
    case "$arg" in
        --image) image=1 ;;
        --skip-build) build=0 ;;
        *) echo "usage: scripts/package.sh [--image] [--skip-build]" >&2; exit 2 ;;
    esac
done

version="$(tr -d '[:space:]' <VERSION)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "package.sh: VERSION \"$version\" is not semantic" >&2; exit 2; }
arch="$(dpkg --print-architecture)" # amd64, arm64: the names Prometheus tarballs use too
name="atsign_exporter-$version.linux-$arch"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

if ((build)); then
    scripts/build-release.sh --static-swift-stdlib --product atsign_exporter
fi
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/atsign_exporter"
[[ -x "$binary" ]] || { echo "package.sh: $binary not built (run without --skip-build)" >&2; exit 1; }

rm -rf dist
mkdir -p dist/stage
# Symbols stay out of the shipped binary; a stripped copy keeps backtraces' addresses usable
# with the unstripped build.
strip --strip-unneeded -o dist/stage/atsign_exporter "$binary"
scripts/check-static.sh dist/stage/atsign_exporter

# Tarball, laid out as Prometheus' are: one top-level directory named like the file.
mkdir "dist/stage/$name"
cp dist/stage/atsign_exporter LICENSE README.md CHANGELOG.md "dist/stage/$name/"
cp -r deploy grafana "dist/stage/$name/"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C dist/stage -czf "dist/$name.tar.gz" "$name"

scripts/package-deb.sh dist/stage/atsign_exporter "$version" "$arch" dist
if ((image)); then
    scripts/package-image.sh dist/stage/atsign_exporter "$version" "$arch" dist
fi

rm -rf dist/stage
(cd dist && shopt -s nullglob && sha256sum -- *.tar.gz *.deb *.oci.tar >sha256sums.txt)
ls -l dist
