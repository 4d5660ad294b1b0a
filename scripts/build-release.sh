#!/usr/bin/env bash
# A release build with the build facts stamped into atsign_exporter_build_info and --version:
# git revision and branch, build user and date. The version itself is the VERSION file, which
# the C target embeds (so a plain `swift build` reports it too). SwiftPM has no build-time
# variables, so the facts reach the C target CSystem as a generated header found through
# -Xcc -I: the flags stay the same from build to build, so a new date recompiles one C file
# instead of every Swift module (a changed -D would invalidate them all).
# Extra arguments go to `swift build` (scripts/package.sh adds --static-swift-stdlib).
# SOURCE_DATE_EPOCH, when set, fixes the build date (reproducible builds).
set -euo pipefail
cd "$(dirname "$0")/.."
revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then revision="$revision-dirty"; fi
branch="$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
user="$(id -un 2>/dev/null || echo unknown)@$(hostname 2>/dev/null || echo unknown)"
date="$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y%m%d-%H:%M:%S)"
# Each value becomes a C string literal: refuse characters that would need escaping.
for value in "$revision" "$branch" "$user" "$date"; do
    [[ "$value" =~ ^[A-Za-z0-9._@:/+-]+$ ]] || { echo "build-release.sh: unusable build fact \"$value\"" >&2; exit 2; }
done
stamp=.build/build-info
mkdir -p "$stamp"
printf '#define ATSIGN_REVISION "%s"\n#define ATSIGN_BRANCH "%s"\n#define ATSIGN_BUILD_USER "%s"\n#define ATSIGN_BUILD_DATE "%s"\n' \
    "$revision" "$branch" "$user" "$date" >"$stamp/atsign_build_info.h.new"
# Replaced only when it changed, so an unchanged stamp rebuilds nothing.
if cmp -s "$stamp/atsign_build_info.h.new" "$stamp/atsign_build_info.h"; then
    rm "$stamp/atsign_build_info.h.new"
else
    mv "$stamp/atsign_build_info.h.new" "$stamp/atsign_build_info.h"
fi
swift build -c release -Xcc "-I$PWD/$stamp" "$@"
echo "built $(swift build -c release "$@" --show-bin-path)/atsign_exporter (version $(cat VERSION), revision $revision)"
