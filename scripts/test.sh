#!/usr/bin/env bash
# The test command: `swift test` with Swift Testing's parallelism capped.
#
# Hundreds of loopback tests start TLS sessions at once; uncapped, they queue so much CPU work
# on the two threads of the cooperative pool that deadline-bound tests (a probe that must time
# out at 200 ms, a handshake within 5 s) fail for reasons of their own making. Six at a time
# keeps both cores busy and every deadline honest. Extra arguments go to `swift test`
# (e.g. --filter AtStatusTests, --skip-build).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-6}"
exec swift test "$@"
