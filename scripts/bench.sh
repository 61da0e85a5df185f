#!/usr/bin/env bash
# The throughput benchmark of issue 4, in one run: the transport ceiling (bench/ceiling, C with protobuf-c and
# libzmq), then `dealreg load` against a release cluster on free ports, then their ratio.
# Also prints each service's CPU time per answered registration (utime + stime from /proc, over the whole run).
# Usage: scripts/bench.sh [WORKERS] [SECONDS] [CONCURRENCY]   (defaults: 2, 10, 256)
# BIN=path/to/.build/release measures another build, with its own services and load generator.
set -euo pipefail
workers=${1:-2}
seconds=${2:-10}
concurrency=${3:-256}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${BIN:-$root/.build/release}"
out="$root/.build/ceiling"
mkdir -p "$out"
protoc-c -I "$root/proto" --c_out="$out" "$root"/proto/dealreg/v1/*.proto
cc -O2 -Wall -o "$out/ceiling" "$root/bench/ceiling/ceiling.c" "$out"/dealreg/v1/*.pb-c.c -I "$out" \
    -lprotobuf-c -lzmq -lpthread
ceiling=$("$out/ceiling" --duration 5 --window "$concurrency")
echo "$ceiling"

work=$(mktemp -d)
. "$root/scripts/local-cluster.sh"
start_cluster "$bin" "$work" "$workers"
"$bin/dealreg" load --data "$work/data" --concurrency "$concurrency" --duration "$seconds" 2> "$work/load.err" \
    | tee "$work/load.out"
answered=$(awk '/^throughput/ { gsub(/\(/, "", $4); print $4 }' "$work/load.out")
print_service_cpu "$bin" "$answered"
rate=$(awk '/^throughput/ {print $2}' "$work/load.out")
ceiling_rate=$(echo "$ceiling" | awk '{print $2}')
awk -v r="$rate" -v c="$ceiling_rate" 'BEGIN { printf "ratio: dealreg load / ceiling = %.4f (target >= 0.25)\n", r / c }'
