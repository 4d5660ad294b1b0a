#!/usr/bin/env bash
# A release build with the git revision stamped into atsign_exporter_build_info and --version.
# SwiftPM has no build-time variables, so the revision reaches the C target CSystem as a macro.
set -euo pipefail
cd "$(dirname "$0")/.."
revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then revision="$revision-dirty"; fi
swift build -c release -Xcc "-DATSIGN_REVISION=\"$revision\"" "$@"
echo "built $(swift build -c release --show-bin-path)/atsign_exporter (revision $revision)"
