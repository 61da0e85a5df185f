#!/usr/bin/env bash
# How enforcement starts and what it holds (issue 20): a release cluster on a store seeded with SIZE registrations
# and one worker; enforcement follows the whole log from an empty store as the cluster starts. Prints its resident
# memory once caught up (beside the worker's), then restarts it three ways, each timed from the new process's
# appearance to its ready (its event stream live, its api serving): after a graceful stop (which writes its index
# snapshot), killed with its snapshot removed (indexed from the store), and killed after LATER seconds of
# registrations since its snapshot (the snapshot topped up from the store). A build without snapshots starts from
# its store every time. Prints each time and enforcement's resident memory after it.
# Usage: scripts/bench-enforcement-start.sh [SIZE] [LATER]   (defaults: 1000000, 10). Needs a release build
# (BIN=other/.build/release measures another build).
set -euo pipefail
size=${1:-1000000}
later=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(readlink -f "${BIN:-$root/.build/release}")
. "$root/scripts/local-cluster.sh"

start_seeded_cluster "$bin" "$size"
log="$data/logs/enforcement.log"
enforcement() { pgrep -f "^$bin/dealreg-enforce " | head -1; }
echo "cluster of $size registrations ready (enforcement followed the whole log) in $cluster_seconds s"
sleep 5
printf 'resident once caught up: enforcement %5d MB, check worker %5d MB\n' \
    "$(resident_mb "$(enforcement)")" "$(resident_mb "$(pgrep -f "^$bin/dealreg-check " | head -1)")"

# restart NAME SIGNAL: stops enforcement with SIGNAL; `dealreg up` starts another, timed from its appearance to its
# event stream live (logged after its api is bound).
restart() {
    local name=$1 signal=$2 old new lives started
    old=$(enforcement)
    lives=$(grep -c '"event stream live"' "$log" || true)
    kill "-$signal" "$old"
    while kill -0 "$old" 2> /dev/null; do sleep 0.01; done
    until new=$(enforcement) && [ -n "$new" ] && [ "$new" != "$old" ]; do sleep 0.01; done
    started=$(date +%s.%N)
    until [ "$(grep -c '"event stream live"' "$log" || true)" -gt "$lives" ]; do
        kill -0 "$new" 2> /dev/null || { tail -20 "$log" >&2; exit 1; }
        sleep 0.02
    done
    awk -v a="$started" -v b="$(date +%s.%N)" -v n="$name" -v rss="$(resident_mb "$new")" \
        'BEGIN { printf "%-34s ready after %6.2f s, resident %5d MB\n", n, b - a, rss }'
    # A build with the index of accounts says how it indexed them.
    if grep -q '"accounts indexed' "$log"; then
        grep '"accounts indexed' "$log" | tail -1 | grep -o '"message":"[^"]*"\|"ms":"[0-9]*"\|"accounts":"[0-9]*"' \
            | tr '\n' ' ' | sed 's/^/    /'
        echo
    fi
}

restart "after a graceful stop" TERM
snapshot="$data/enforcement/enforcement-index.snapshot"
if [ -f "$snapshot" ]; then echo "    snapshot: $(($(stat -c %s "$snapshot") / 1048576)) MB"; fi
rm -f "$snapshot"
restart "killed, without a snapshot" KILL
restart "after a graceful stop, again" TERM
"$bin/dealreg" load --data "$data" --concurrency 64 --duration "$later" 2> /dev/null | grep "^throughput" \
    | sed 's/^/registered after the snapshot: /'
restart "killed ${later}s of registrations later" KILL
