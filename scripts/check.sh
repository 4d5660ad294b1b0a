#!/usr/bin/env bash
# The developer loop: format lint, build with warnings as errors, every test.
# (CI runs more: .ci/run adds the operations checks and the end-to-end run with Prometheus.)
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict -r Sources Tests
swift build --build-tests
swift test --skip-build
