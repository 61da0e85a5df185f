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
. "$root/scripts/local-cluster.sh"
python3 "$root/scripts/make-deals-csv.py" "$rows" > "$work/deals.csv"
start_cluster "$bin" "$work" "${WORKERS:-2}"
"$bin/dealreg" party add bench-partner --kind partner --name "Bench Partner" --data "$work/data" > /dev/null
"$bin/dealreg" import "$work/deals.csv" --as bench-partner --data "$work/data" --json > "$work/decisions.jsonl" 2> "$work/import.err"
grep -v "^import: [0-9]*/" "$work/import.err" || true
echo "decisions: $(wc -l < "$work/decisions.jsonl") lines; outcomes:" \
    "$(grep -o '"outcome":"[A-Z_]*"' "$work/decisions.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
rss=$(ps -o rss= -C dealreg-registry | head -1)
echo "registry resident memory after the run: $((rss / 1024)) MiB"
