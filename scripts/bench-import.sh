#!/usr/bin/env bash
# Load run: starts a local cluster on free ports in a temporary directory, imports ROWS synthetic opportunities
# as one partner, prints the import's rate and latency summary, and stops the cluster.
# Usage: scripts/bench-import.sh [ROWS] [BUILD]   (defaults: 10000, release; BUILD=debug for a quick run)
set -euo pipefail
rows=${1:-10000}
build=${2:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/$build"
work=$(mktemp -d)
cleanup() {
    [ -n "${up:-}" ] && kill -TERM "$up" 2>/dev/null && wait "$up" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
python3 "$root/scripts/make-deals-csv.py" "$rows" > "$work/deals.csv"
"$bin/dealreg" up --data "$work/data" --base-port 0 --workers "${WORKERS:-2}" --stop-with-parent > "$work/up.out" 2>&1 &
up=$!
for _ in $(seq 1 600); do
    grep -q "dealreg ready" "$work/up.out" && break
    kill -0 "$up" 2>/dev/null || { cat "$work/up.out"; exit 1; }
    sleep 0.1
done
grep "dealreg ready" "$work/up.out"
"$bin/dealreg" party add bench-partner --kind partner --name "Bench Partner" --data "$work/data" > /dev/null
"$bin/dealreg" import "$work/deals.csv" --as bench-partner --data "$work/data" --json > "$work/decisions.jsonl" 2> "$work/import.err"
grep -v "^import: [0-9]*/" "$work/import.err" || true
echo "decisions: $(wc -l < "$work/decisions.jsonl") lines; outcomes:" \
    "$(grep -o '"outcome":"[A-Z_]*"' "$work/decisions.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
rss=$(ps -o rss= -C dealreg-registry | head -1)
echo "registry resident memory after the run: $((rss / 1024)) MiB"
