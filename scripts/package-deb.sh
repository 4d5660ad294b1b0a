#!/usr/bin/env bash
# The Debian package, with dpkg-deb alone (no debhelper): the binary in /usr/bin, the units of
# deploy/systemd (ExecStart pointed at /usr/bin, a static system user instead of DynamicUser),
# /etc/default/atsign_exporter and an atSigns list as conffiles, a system user made in postinst,
# and Depends computed by dpkg-shlibdeps from the libraries the binary links.
# usage: scripts/package-deb.sh BINARY VERSION ARCH OUTDIR   (called by scripts/package.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$1" version="$2" arch="$3" out="$4"
package=atsign-exporter # Debian package names allow no underscore
maintainer="atsign_exporter authors <atsign-exporter@users.noreply.github.com>"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"

install -D -m 0755 "$binary" "$root/usr/bin/atsign_exporter"
unit="$root/lib/systemd/system/atsign_exporter.service"
install -D -m 0644 deploy/systemd/atsign_exporter.service "$unit"
install -m 0644 deploy/systemd/atsign_exporter.socket "$root/lib/systemd/system/"
# The packaged unit: the binary where Debian packages put it, and the user postinst makes
# (a DynamicUser could not read a key file an operator chowns to it).
sed -i -e 's#/usr/local/bin/atsign_exporter#/usr/bin/atsign_exporter#g' \
    -e 's#^DynamicUser=yes$#User=atsign_exporter\nGroup=atsign_exporter#' \
    -e '/^#   install /d' "$unit"
grep -q '^ExecStart=/usr/bin/atsign_exporter ' "$unit" && grep -q '^User=atsign_exporter$' "$unit" ||
    { echo "package-deb.sh: the unit's ExecStart or DynamicUser line changed; update the sed above" >&2; exit 1; }
install -D -m 0644 deploy/systemd/atsign_exporter.default "$root/etc/default/atsign_exporter"
install -D -m 0644 /dev/stdin "$root/etc/atsign_exporter/atsigns.txt" <<'EOF'
# atSigns for atsign_exporter to probe, one a line (# starts a comment), e.g.
# @alice
EOF
doc="$root/usr/share/doc/$package"
install -d "$doc"
{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: atsign_exporter"
    echo
    echo "Files: *"
    echo "Copyright: 2026 the atsign_exporter authors"
    echo "License: BSD-3-Clause"
    sed -e 's/^$/./' -e 's/^/ /' LICENSE
} >"$doc/copyright"
gzip -9n <CHANGELOG.md >"$doc/changelog.gz"
# Debian's own changelog, which dpkg tools and lintian expect beside the upstream one.
printf '%s (%s-1) unstable; urgency=medium\n\n  * Release %s; see changelog.gz for what changed.\n\n -- %s  %s\n' \
    "$package" "$version" "$version" "$maintainer" "$(date -u -R -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")" |
    gzip -9n >"$doc/changelog.Debian.gz"
gzip -9n <README.md >"$doc/README.md.gz"

install -d "$root/DEBIAN"
printf '/etc/default/atsign_exporter\n/etc/atsign_exporter/atsigns.txt\n' >"$root/DEBIAN/conffiles"
install -m 0755 deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm "$root/DEBIAN/"

# Depends from what the binary links, as dpkg-shlibdeps sees it (it wants a debian/control).
shlibs="$(mktemp -d)"
mkdir "$shlibs/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" >"$shlibs/debian/control"
depends="$(cd "$shlibs" && dpkg-shlibdeps -O "$root/usr/bin/atsign_exporter" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
rm -rf "$shlibs"
[[ -n "$depends" ]] || { echo "package-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat >"$root/DEBIAN/control" <<EOF
Package: $package
Version: $version-1
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends, passwd, ca-certificates
Section: net
Priority: optional
Homepage: https://github.com/atsign-exporter/atsign_exporter
Description: Prometheus exporter for the status of atSigns (atPlatform)
 Asks the atRoot where each atSign lives, then asks its atServer whether the
 atSign is activated, and serves the results as Prometheus metrics. The Swift
 runtime is linked in: no Swift toolchain is needed.
EOF
deb="$out/${package}_${version}-1_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb (Depends: $depends, passwd, ca-certificates)"
if command -v lintian >/dev/null; then
    # Tags left out, each with its reason, in deploy/debian/lintian-suppressed.
    lintian --fail-on error,warning --suppress-tags "$(grep -v '^#' deploy/debian/lintian-suppressed | cut -d' ' -f1 | paste -sd,)" "$deb"
fi
