#!/usr/bin/env bash
# Fuzzing (issue 7): builds dealreg-fuzz with libFuzzer and AddressSanitizer, then runs each target for ITERATIONS
# inputs on a copy of its seed corpus (fuzz/corpus/TARGET; the copy and what it grows stay under .build/fuzz-work),
# with fuzz/dict/TARGET.dict when there is one.
# Prints per target the inputs run, exec/s, the final cov/ft, corpus size, peak RSS and the verdict; keeps every
# crash, hang, leak or out-of-memory input under fuzz/findings/TARGET and exits 1 if any.
# Leaks: LeakSanitizer after every input that allocated more than it freed for the decoder targets; the in-process
# services keep state across inputs by design, so for registry and enforcement the live heap is reported instead
# (after 50,000 inputs and at the end).
# Usage: scripts/fuzz.sh [ITERATIONS] [TARGET...]   (defaults: 1000000, every target)
#   FUZZ_MAX_LEN (4096), FUZZ_TIMEOUT (10 s per input), FUZZ_RSS_MB (2048), FUZZ_FLAGS (more libFuzzer flags)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
iterations=1000000
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
    iterations=$1
    shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(envelope event policy csv registry enforcement)

scratch=.build/fuzz
started=$(date +%s)
swift build -c release --scratch-path "$scratch" --product dealreg-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
echo "fuzz build: $(($(date +%s) - started)) s"
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/dealreg-fuzz"

# The black-box targets keep their SQLite files on tmpfs when there is room: fsync there costs nothing.
tmp_parent=$root/.build/fuzz-work
mkdir -p "$tmp_parent"
if [ -d /dev/shm ] && [ "$(df -Pm /dev/shm | awk 'NR == 2 { print $4 }')" -gt 4096 ]; then tmp_parent=/dev/shm; fi

failed=0
summary=()
for target in "${targets[@]}"; do
    seeds=fuzz/corpus/$target
    [ -d "$seeds" ] || { echo "no seed corpus $seeds" >&2; exit 2; }
    work=.build/fuzz-work/$target
    findings=fuzz/findings/$target
    rm -rf "$work"
    mkdir -p "$work/corpus" "$findings"
    cp "$seeds"/* "$work/corpus/"
    tmp=$(mktemp -d "$tmp_parent/dealreg-fuzz-$target.XXXXXX")
    log=$work/fuzz.log
    echo "== $target: $iterations runs (log: $log)"
    leaks=1
    case $target in registry | enforcement) leaks=0 ;; esac
    dictionary=()
    [ ! -f "fuzz/dict/$target.dict" ] || dictionary=(-dict="fuzz/dict/$target.dict")
    # Swift's own crash backtracer trips AddressSanitizer; libFuzzer's handler prints the stack instead.
    set +e
    # shellcheck disable=SC2086
    TMPDIR=$(cd "$tmp" && pwd) DEALREG_FUZZ_TARGET=$target \
        ASAN_OPTIONS=detect_leaks=$leaks SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" \
        -runs="$iterations" -max_len="${FUZZ_MAX_LEN:-4096}" -timeout="${FUZZ_TIMEOUT:-10}" \
        -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -detect_leaks=$leaks -print_final_stats=1 \
        -artifact_prefix="$findings/" "${dictionary[@]}" ${FUZZ_FLAGS:-} > "$log" 2>&1
    status=$?
    set -e
    rm -rf "$tmp"
    figure() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    runs=$(figure number_of_executed_units)
    rate=$(figure average_exec_per_sec)
    rss=$(figure peak_rss_mb)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<< "$last")
    heap=$(sed -n 's/^dealreg-fuzz heap: \([0-9.]*\) MB live after \([0-9]*\) inputs/\1 MB at \2/p' "$log" |
        sed -n '1p;$p' | paste -sd '>' - | sed 's/>/ -> /')
    verdict=clean
    if [ "$status" -ne 0 ]; then
        failed=1
        verdict="finding (exit $status)"
        if grep -q "hang: no answer\|ERROR: libFuzzer: timeout" "$log"; then verdict="HANG"
        elif grep -q "logged a critical error\|dealreg-fuzz: the .* \(stopped\|failed\)" "$log"; then
            verdict="SERVICE FAILURE"
        elif grep -q "ERROR: LeakSanitizer" "$log"; then verdict="LEAK"
        elif grep -q "ERROR: libFuzzer: out-of-memory\|ERROR: libFuzzer: malloc" "$log"; then verdict="OUT OF MEMORY"
        elif grep -q "Fatal error" "$log"; then verdict="CRASH"
        elif grep -q "ERROR: AddressSanitizer" "$log"; then verdict="MEMORY ERROR"
        elif grep -q "deadly signal" "$log"; then verdict="CRASH"
        fi
        grep -E "Fatal error|ERROR: |dealreg-fuzz: |Test unit written to" "$log" | head -8 | sed 's/^/    /'
    fi
    rmdir "$findings" fuzz/findings 2> /dev/null || true
    line=$(printf '%-12s runs %-9s exec/s %-6s cov %-6s ft %-6s corpus %-11s peak rss %-7s %s' \
        "$target" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "${rss:-?}MB" "$verdict")
    [ -z "$heap" ] || line="$line (live heap $heap inputs)"
    echo "$line"
    summary+=("$line")
done
echo "== fuzzing summary ($iterations runs asked per target)"
printf '%s\n' "${summary[@]}"
exit $failed
