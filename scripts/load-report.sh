#!/usr/bin/env bash
# A quarter-end ramp written up as one HTML page (issue 20): `dealreg load --profile PROFILE --report REPORT` for
# SECONDS against a release cluster on free ports with WORKERS check workers; the page charts throughput sent and
# answered, latency p50/p99/max, errors by code and the registry's queue, second by second, under the run's summary.
# Usage: scripts/load-report.sh [REPORT] [PROFILE] [SECONDS] [WORKERS]
#        (defaults: load-report.html, ramp:100..3000, 60, 2; on 2 cores the stack saturates near 2,000/s, so the
#        default ramp shows where the queue starts to grow and latency with it)
# BIN=path/to/.build/release runs another build.
set -euo pipefail
report=${1:-load-report.html}
profile=${2:-ramp:100..3000}
seconds=${3:-60}
workers=${4:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${BIN:-$root/.build/release}"
case "$report" in /*) ;; *) report="$PWD/$report" ;; esac

work=$(mktemp -d)
. "$root/scripts/local-cluster.sh"
start_cluster "$bin" "$work" "$workers"
"$bin/dealreg" load --data "$work/data" --profile "$profile" --duration "$seconds" --report "$report" \
    2> "$work/load.err" || { cat "$work/load.err"; exit 1; }
echo "report: $report"
