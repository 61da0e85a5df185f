#!/usr/bin/env bash
# Issue 16's first reproduction, by the command line against a fresh local cluster: one customer registered 45 times
# under one spelling, each by another partner for another product line (a policy file gives the catalog line-1 …
# line-45), then a 46th partner registering it for lines 3, 17, 30 and 44. Each of the four must be REJECTED and
# name the holder of its line; before the candidate search kept entries tied at its cut, lines 30 and 44 were
# APPROVED beside their holders.
# Usage: scripts/repro-big-account.sh [BIN]   (default: .build/debug)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/.build/debug}" && pwd)
work=$(mktemp -d)
trap 'kill "$up" 2>/dev/null; wait "$up" 2>/dev/null; rm -rf "$work"' EXIT
python3 -c "import json; print(json.dumps({'version': 'lines', 'catalog': {'lines': [{'id': 'line-%d' % i} for i in range(1, 46)]}}))" \
    > "$work/policy.json"
"$bin/dealreg" up --data "$work/cluster" --workers 1 --base-port 0 --policy "$work/policy.json" --stop-with-parent \
    > "$work/up.log" 2>&1 &
up=$!
for _ in $(seq 1 240); do grep -q "dealreg ready" "$work/up.log" && break; sleep 0.5; done
export DEALREG_DATA="$work/cluster"
for partner in $(seq 1 46); do
    "$bin/dealreg" party add "p$partner" --kind partner --name "Partner $partner" --country DE > /dev/null
done
customer=(--country DE --street "Friedrich-Ebert-Allee 140" --postal-code 53113 --city Bonn --amount 100000
    --currency EUR --close-date "$(date -d '+90 days' +%F)")
approved=0
for line in $(seq 1 45); do
    "$bin/dealreg" register --as "p$line" --customer "Deutsche Telekom AG" "${customer[@]}" --products "line-$line" \
        | grep -q APPROVED && approved=$((approved + 1))
done
echo "holders: $approved of 45 registrations approved"
# Let the worker apply them all: the registry's commit-time re-check covers only what a worker has not applied yet.
sleep 2
failed=0
for line in 3 17 30 44; do
    decision=$("$bin/dealreg" register --as p46 --customer "Deutsche Telekom" "${customer[@]}" --products "line-$line" \
        | head -1)
    echo "rival on line-$line: $decision"
    case "$decision" in *REJECTED*) ;; *) failed=1 ;; esac
done
[ "$failed" -eq 0 ] && echo "one winner per line: held" || { echo "DOUBLE PROTECTION"; exit 1; }
