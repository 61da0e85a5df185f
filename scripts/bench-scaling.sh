#!/usr/bin/env bash
# The scaling table of issue 4. For each index size (registrations the registry already holds, seeded with
# `dealreg-bench seed`) and each number of check workers: the max throughput (closed loop, CONCURRENCY in flight)
# and its p99, the p99 at half that rate (open loop), and the CPU time per registration of the registry, the
# workers together, enforcement and the load generator (from /proc during the closed-loop run).
# Usage: scripts/bench-scaling.sh [SECONDS] [INDEX SIZES] [WORKER COUNTS] [CONCURRENCY]
#        (defaults: 10, "1000 1000000", "1 2 4", 256). Needs a release build (`make release`).
set -euo pipefail
seconds=${1:-10}
sizes=${2:-"1000 1000000"}
counts=${3:-"1 2 4"}
concurrency=${4:-256}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/release"
. "$root/scripts/local-cluster.sh"

# CPU seconds (user + system) so far of every process named $1.
# shellcheck disable=SC2046
cpu_of() { cpu_seconds $(pgrep -x "$1"); }

echo "| index | workers | max reg/s | p99 at max (ms) | p99 at half max (ms) | of which check wait p99 | commit wait p99 | registry µs/reg | workers µs/reg | enforcement µs/reg | load µs/reg | ready after (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in $sizes; do
    seeded=$(seeded_registry "$bin" "$size")
    for workers in $counts; do
        work=$(mktemp -d)
        began=$(date +%s)
        start_cluster "$bin" "$work" "$workers" "$seeded" >&2
        ready=$(( $(date +%s) - began ))
        registry0=$(cpu_of dealreg-registr); check0=$(cpu_of dealreg-check); enforce0=$(cpu_of dealreg-enforce)
        "$bin/dealreg" load --data "$work/data" --concurrency "$concurrency" --duration "$seconds" --json \
            > "$work/max.json" 2> /dev/null
        registry1=$(cpu_of dealreg-registr); check1=$(cpu_of dealreg-check); enforce1=$(cpu_of dealreg-enforce)
        max=$(json_field "$work/max.json" throughput)
        answered=$(json_field "$work/max.json" answered)
        half=$(awk -v m="$max" 'BEGIN { printf "%d", m / 2 }')
        "$bin/dealreg" load --data "$work/data" --rate "$half" --duration "$seconds" --json \
            > "$work/half.json" 2> /dev/null
        awk -v size="$size" -v w="$workers" -v max="$max" -v p99="$(json_field "$work/max.json" p99_ms)" \
            -v half="$(json_field "$work/half.json" p99_ms)" -v n="$answered" \
            -v r="$(awk -v a="$registry0" -v b="$registry1" 'BEGIN { print b - a }')" \
            -v c="$(awk -v a="$check0" -v b="$check1" 'BEGIN { print b - a }')" \
            -v e="$(awk -v a="$enforce0" -v b="$enforce1" 'BEGIN { print b - a }')" \
            -v l="$(json_field "$work/max.json" cpu_seconds)" -v ready="$ready" \
            -v cw="$(json_field "$work/half.json" registry.check_wait.p99_ms)" \
            -v mw="$(json_field "$work/half.json" registry.commit_wait.p99_ms)" \
            'BEGIN { printf "| %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %d |\n",
                size, w, max, p99, half, cw, mw, r / n * 1e6, c / n * 1e6, e / n * 1e6, l / n * 1e6, ready }'
        stop_cluster
        trap - EXIT
    done
done
