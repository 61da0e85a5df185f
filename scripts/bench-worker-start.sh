#!/usr/bin/env bash
# How fast a check worker joins (issue 20): a release cluster on a store seeded with SIZE registrations and one
# worker, then an extra worker started three ways, each timed from its start to its Ready (announced to the registry,
# the index caught up with the log): replaying the whole log; from the host's snapshot, which the cluster's worker
# writes at its graceful stop; and from that snapshot after LATER seconds of registrations. Prints each time, the
# snapshot's size and how long it took to write, and each worker's resident memory.
# Usage: scripts/bench-worker-start.sh [SIZE] [LATER]   (defaults: 1000000, 10). Needs a release build.
set -euo pipefail
size=${1:-1000000}
later=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(readlink -f "${BIN:-$root/.build/release}")
. "$root/scripts/local-cluster.sh"

start_seeded_cluster "$bin" "$size"
echo "cluster of $size registrations ready (its worker replayed the whole log) in $cluster_seconds s"

# An extra worker NAME [--snapshots DIR]: prints the seconds to its Ready and its resident memory then.
extra() {
    local name=$1
    shift
    local log="$work/$name.log" started pid
    started=$(date +%s.%N)
    "$bin/dealreg-check" --registry-endpoints "$data/registry/endpoints.json" --key "$data/keys/svc-check.key" \
        --name "$name" "$@" > "$log" 2>&1 &
    pid=$!
    until grep -q "announced to the registry" "$log"; do
        kill -0 "$pid" 2> /dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.05
    done
    awk -v a="$started" -v b="$(date +%s.%N)" -v n="$name" \
        -v rss="$(resident_mb "$pid")" \
        'BEGIN { printf "%-28s ready after %6.2f s, resident %5d MB\n", n, b - a, rss }'
    if grep -q "index loaded from the host's snapshot" "$log"; then
        grep -o '"entries":"[0-9]*"\|"bytes":"[0-9]*"\|"ms":"[0-9]*"\|"seq":"[0-9]*"' "$log" | head -4 | tr '\n' ' ' \
            | sed 's/^/    loaded: /'
        echo
    fi
    kill -TERM "$pid"
    wait "$pid" 2> /dev/null || true
}

extra full-replay
# The cluster's worker writes the host's snapshot as it stops; `dealreg up` starts another in its place.
worker=$(pgrep -f "^$bin/dealreg-check .*--name check-1")
kill -TERM "$worker"
until grep -q "index snapshot written" "$data/logs/check-1.log" 2> /dev/null; do sleep 0.2; done
grep "index snapshot written" "$data/logs/check-1.log" | tail -1 \
    | grep -o '"entries":"[0-9]*"\|"bytes":"[0-9]*"\|"ms":"[0-9]*"' | tr '\n' ' ' | sed 's/^/snapshot written: /'
echo
mkdir -p "$work/copy"
cp "$data/check/check-index.snapshot" "$work/copy/"
extra from-snapshot --snapshots "$work/copy"
"$bin/dealreg" load --data "$data" --concurrency 64 --duration "$later" 2> /dev/null | grep "^throughput" \
    | sed 's/^/registered after the snapshot: /'
extra "from-snapshot-${later}s-later" --snapshots "$work/copy"
