#!/usr/bin/env bash
# Checks what scripts/package.sh left in dist/, the way a user without Swift meets it:
# - sha256sums.txt matches;
# - the tarball's binary, run with a bare environment (PATH=/usr/bin:/bin, no LD_LIBRARY_PATH,
#   so no Swift toolchain can be found), links only Debian's C libraries, prints --version,
#   passes --config.check, and with --demo answers /metrics;
# - the .deb installs into a scratch root (dpkg --root, maintainer scripts run with DPKG_ROOT):
#   postinst makes the system user, and every path the systemd unit names (ExecStart, the
#   EnvironmentFile, the atSigns file in its flags) is there; the units verify.
# usage: scripts/check-packages.sh [DIST]   (default dist)
set -euo pipefail
cd "$(dirname "$0")/.."
dist="$(cd "${1:-dist}" && pwd)"
source scripts/lib.sh
WORK="$(mktemp -d)"
bare=(env -i PATH=/usr/bin:/bin HOME=/nonexistent)

(cd "$dist" && sha256sum --quiet -c sha256sums.txt) || die "sha256sums.txt does not match dist/"
echo "sha256sums.txt: $(wc -l <"$dist/sha256sums.txt") files match"

tarball="$(ls "$dist"/atsign_exporter-*.linux-*.tar.gz)"
tar -C "$WORK" -xzf "$tarball"
top="$WORK/$(basename "$tarball" .tar.gz)"
for f in atsign_exporter LICENSE README.md CHANGELOG.md deploy/systemd/atsign_exporter.service grafana/dashboards/atsign.json; do
    [[ -e "$top/$f" ]] || die "$(basename "$tarball") lacks $f"
done
binary="$top/atsign_exporter"
scripts/check-static.sh "$binary"
"${bare[@]}" "$binary" --version | tee "$WORK/version"
grep -q "^atsign_exporter, version $(tr -d '[:space:]' <VERSION) " "$WORK/version" || die "--version does not report VERSION"
grep -q "revision: unknown\|build date:  *unknown" "$WORK/version" && die "the release binary lacks its build stamp (scripts/build-release.sh)"
"${bare[@]}" "$binary" --config.check --atsign @alice >/dev/null || die "--config.check failed"
port="$(free_port)"
"${bare[@]}" "$binary" --demo --web.listen-address "127.0.0.1:$port" >"$WORK/demo.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/-/ready" 60 "${PIDS[-1]}"
curl -sf "http://127.0.0.1:$port/metrics" >"$WORK/metrics" || die "/metrics did not answer"
grep -q '^atsign_up{atsign="@activated"} 1' "$WORK/metrics" || die "--demo /metrics lacks atsign_up for @activated"
echo "tarball binary: --version, --config.check and --demo /metrics work without a toolchain"

deb="$(ls "$dist"/atsign-exporter_*.deb)"
root="$WORK/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc" "$root/var/log"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
printf 'root:*::\n' >"$root/etc/gshadow"
# --force-depends: the scratch root's dpkg database has no libc6 & co. (the host has them).
DPKG_ROOT="$root" dpkg --root="$root" --force-script-chrootless --force-depends -i "$deb" >"$WORK/dpkg.log" 2>&1 ||
    die "dpkg -i into a scratch root failed: $(tail -n 5 "$WORK/dpkg.log")"
grep -q '^atsign_exporter:x:[0-9]*:[0-9]*:.*:/nonexistent:/usr/sbin/nologin$' "$root/etc/passwd" ||
    die "postinst did not make the system user atsign_exporter"
unit="$root/lib/systemd/system/atsign_exporter.service"
[[ -f "$unit" && -f "$root/lib/systemd/system/atsign_exporter.socket" ]] || die "the .deb lacks its systemd units"
exec_start="$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")"
environment_file="$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit")"
[[ -x "$root$exec_start" ]] || die "ExecStart $exec_start is not in the package"
[[ -f "$root$environment_file" ]] || die "EnvironmentFile $environment_file is not in the package"
grep -q '^User=atsign_exporter$' "$unit" || die "the packaged unit does not run as atsign_exporter"
# shellcheck disable=SC1090 # the EnvironmentFile the package installed
args="$(set -a && . "$root$environment_file" && echo "$ATSIGN_EXPORTER_ARGS")"
for path in $(grep -o '=/[^ ]*' <<<"$args" | cut -c2-); do
    [[ -e "$root$path" ]] || die "the default flags name $path, which the package does not install"
done
dpkg-deb -f "$deb" Depends | grep -q 'libssl3' || die "Depends lacks libssl3"
for conffile in /etc/default/atsign_exporter /etc/atsign_exporter/atsigns.txt; do
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx "$conffile" || die "$conffile is not a conffile"
done
# The installed binary checks the installed configuration, as ExecStartPre does.
# Split into words as systemd splits $ATSIGN_EXPORTER_ARGS, with paths moved into the root.
read -r -a installed_args <<<"${args//=\//=$root/}"
"${bare[@]}" "$root$exec_start" --config.check "${installed_args[@]}" || die "--config.check of the installed defaults failed"
if command -v systemd-analyze >/dev/null; then
    # The binary is in the scratch root, not at /usr/bin here: only that finding is expected.
    systemd-analyze verify "$unit" "$root/lib/systemd/system/atsign_exporter.socket" 2>&1 |
        grep -v -e '^$' -e "Command $exec_start is not executable" >"$WORK/verify" || true
    [[ ! -s "$WORK/verify" ]] || die "systemd-analyze verify: $(cat "$WORK/verify")"
fi
echo "deb: installs into a scratch root; user, unit, EnvironmentFile and atSigns file in place; conffiles marked"
