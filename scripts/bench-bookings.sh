#!/usr/bin/env bash
# Enforcement under load: starts a local cluster on free ports in a temporary directory, registers DEALS synthetic
# opportunities as one partner, then sends BOOKINGS booked orders (make-bookings-csv.py: own protections, poaching,
# direct bypass, unregistered customers) with `dealreg booking import`, WINDOW in flight. Prints the import's rate and
# latency, the violations by type, enforcement's CPU per booking and memory, and how long `dealreg audit verify`
# takes to recompute both ledgers.
# Usage: scripts/bench-bookings.sh [DEALS] [BOOKINGS] [WINDOW] [BUILD]   (defaults: 10000, 10000, 64, release)
set -euo pipefail
deals=${1:-10000}
bookings=${2:-10000}
window=${3:-64}
build=${4:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/$build"
work=$(mktemp -d)
. "$root/scripts/local-cluster.sh"
cpu_of() { cpu_seconds "$(pgrep -x "$1" | head -1)"; }

python3 "$root/scripts/make-deals-csv.py" "$deals" > "$work/deals.csv"
python3 "$root/scripts/make-bookings-csv.py" "$work/deals.csv" "$bookings" bench-partner rival seller-1 \
    > "$work/bookings.csv"
start_cluster "$bin" "$work" "${WORKERS:-2}"
dealreg() { "$bin/dealreg" "$@" --data "$work/data"; }
dealreg party add bench-partner --kind partner --name "Bench Partner" > /dev/null
dealreg party add rival --kind partner --name "Rival Partner" > /dev/null
dealreg party add seller-1 --kind seller --name "Direct Seller" > /dev/null
dealreg party add officer --kind enforcement-officer --name "Compliance" > /dev/null
dealreg import "$work/deals.csv" --as bench-partner > /dev/null 2> "$work/import.err"
grep -v "^import: [0-9]*/" "$work/import.err" || true
# Enforcement has applied every registration before the bookings start.
for _ in $(seq 1 600); do
    dealreg status --json | grep -q '"behind":0,' && break
    sleep 0.1
done
before=$(cpu_of dealreg-enforce)
dealreg booking import "$work/bookings.csv" --as admin --window "$window" --json > "$work/violations.jsonl" \
    2> "$work/bookings.err"
after=$(cpu_of dealreg-enforce)
cat "$work/bookings.err"
echo "violations by type: $(grep -o '"type":"[A-Z_]*"' "$work/violations.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
awk -v a="$before" -v b="$after" -v n="$bookings" 'BEGIN { printf "enforcement CPU: %.0f µs per booking\n", (b - a) / n * 1e6 }'
rss=$(ps -o rss= -C dealreg-enforce | head -1)
echo "enforcement resident memory: $((rss / 1024)) MiB"
began=$(date +%s.%N)
dealreg audit verify --as officer
echo "audit verify: $(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
