#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time: scripts/fuzz.sh [seconds per target] (default 60).
#
# Builds the targets once with libFuzzer and AddressSanitizer (scratch path .build-fuzz), then runs them FUZZ_JOBS at a time (default 2) on a copy of their seed corpus in
# Tests/FuzzCorpus/<target>/, so the generated corpus never lands in the repository. An input
# that crashes, times out (-timeout=5), leaks or passes -rss_limit_mb=2048 is printed in hex and
# copied to Tests/FuzzCorpus/<target>/, to become a regression test; the script then exits 1.
# Tests/FuzzCorpus/<target>.dict, when present, is the target's libFuzzer dictionary.
# FUZZ_TARGETS="FuzzHTTPParser FuzzConfig" runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
jobs=${FUZZ_JOBS:-2}
read -r -a targets <<<"${FUZZ_TARGETS:-FuzzHTTPParser FuzzRootReply FuzzServerReply FuzzConfig}"
scratch=.build-fuzz
export SWIFT_BACKTRACE=enable=no

if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [seconds per target, a positive integer]" >&2
    exit 2
fi

work=$(mktemp -d /tmp/atsign-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

# `--sanitize fuzzer --sanitize address` is not enough: SwiftPM passes one -sanitize= flag per
# sanitizer, in no fixed order, and swiftc keeps only the last, so a build gets either coverage
# or ASan. `--sanitize fuzzer` makes SwiftPM link libFuzzer's main; the -Xswiftc flag, which comes
# last, asks for both. -DFUZZING drops each target's corpus-replaying @main.
build=(swift build -c debug --sanitize fuzzer -Xswiftc "-sanitize=fuzzer,address"
    -Xcc "-fsanitize=fuzzer-no-link,address" -Xswiftc -DFUZZING --scratch-path "$scratch")
for target in "${targets[@]}"; do
    echo "==== build $target"
    if ! "${build[@]}" --product "$target" >"$work/build.log" 2>&1; then
        grep -v "Cannot export local symbol" "$work/build.log" | tail -40
        exit 1
    fi
done
bin=$("${build[@]}" --show-bin-path)

# A fuzzer without coverage mutates blindly and still reports success: refuse to run one. The
# replay of the committed inputs (-runs=0) also fails here if a kept crash is not fixed.
for target in "${targets[@]}"; do
    if ! "$bin/$target" -runs=0 "Tests/FuzzCorpus/$target" >"$work/replay.log" 2>&1; then
        echo "==== $target fails on a committed input:"
        grep -v '^#[0-9]' "$work/replay.log" | tail -30
        exit 1
    fi
    counters=$(sed -n 's/.*(\([0-9]*\) inline 8-bit counters).*/\1/p' "$work/replay.log" | head -1)
    asan=$(nm "$bin/$target" | grep -c __asan_report_load || true)
    if [ "${counters:-0}" -lt 1000 ] || [ "$asan" -eq 0 ]; then
        echo "==== $target is not instrumented (${counters:-no} coverage counters, or no ASan)" >&2
        exit 1
    fi
done

# One target: fuzz, then write "<target> <execs> <seconds> <result>" to $work/<target>.summary.
run_target() {
    local target=$1 dir=$work/$1
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp Tests/FuzzCorpus/"$target"/* "$dir/corpus/" 2>/dev/null || true
    local start=$SECONDS rc=0 dict=()
    [ -f "Tests/FuzzCorpus/$target.dict" ] && dict=(-dict="Tests/FuzzCorpus/$target.dict")
    # The outer timeout is a backstop: libFuzzer stops itself after -max_total_time.
    timeout --kill-after=10 $((seconds + 60)) "$bin/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
    local execs result=ok
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$dir/log" | tail -1 | tr -d '#' || true)
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        result="hung (killed by timeout)"
    elif [ "$rc" -ne 0 ] || [ -n "$(ls -A "$dir/artifacts")" ]; then
        result="FAILED (exit $rc)"
    fi
    echo "$target ${execs:-0} $((SECONDS - start)) $result" >"$dir/summary"
}

# Prints the failing inputs and keeps them next to the seeds.
report_failure() {
    local target=$1 dir=$work/$1
    echo "==== $target failed; end of its log:"
    grep -v '^#[0-9]' "$dir/log" | tail -40
    for artifact in "$dir"/artifacts/*; do
        [ -e "$artifact" ] || continue
        local name
        name=$(basename "$artifact")
        cp "$artifact" "Tests/FuzzCorpus/$target/$name"
        echo "---- input $name ($(wc -c <"$artifact") bytes), kept as Tests/FuzzCorpus/$target/$name:"
        head -c 4096 "$artifact" | od -An -tx1 -v
    done
}

echo "==== fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
running=0
for target in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    run_target "$target" &
    running=$((running + 1))
done
wait

failed=0
for target in "${targets[@]}"; do
    read -r name execs took result <"$work/$target/summary"
    [ "$result" = ok ] || { report_failure "$target"; failed=1; }
done
echo "==== summary"
for target in "${targets[@]}"; do
    read -r name execs took result <"$work/$target/summary"
    printf '%-16s %12s execs %6ss  %s\n' "$name" "$execs" "$took" "$result"
done
exit "$failed"
