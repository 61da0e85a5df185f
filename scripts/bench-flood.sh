#!/usr/bin/env bash
# Abuse limits under load (issue 7): one principal floods the registry at full speed (closed loop, FLOOD requests
# in flight, resending as soon as each answer comes, RATE_LIMITED or not) while another registers at a steady
# RATE. Prints the steady principal's latency unloaded (before and after) and under the flood, their ratio, and
# what the flood got through. The cluster runs under the default policy limits.
# Then the same with an open-loop flood that never waits for answers, at OPEN requests a second.
# Usage: scripts/bench-flood.sh [SECONDS] [RATE] [FLOOD] [OPEN] [BUILD]   (defaults: 10, 50, 256, 20000, release)
set -euo pipefail
seconds=${1:-10}
rate=${2:-50}
flood=${3:-256}
open=${4:-20000}
build=${5:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/$build"
work=$(mktemp -d)
. "$root/scripts/local-cluster.sh"
CLUSTER_POLICY=default start_cluster "$bin" "$work" "${WORKERS:-2}"
field() {
    python3 -c 'import functools, json, sys; print(functools.reduce(lambda v, k: v.get(k, 0) if isinstance(v, dict) else 0, sys.argv[2].split("."), json.load(open(sys.argv[1]))))' "$1" "$2"
}
steady() { "$bin/dealreg" load --data "$work/data" --prefix steady --partners 1 --rate "$rate" --duration "$seconds" --json > "$1" 2> /dev/null; }
# under_flood FLOOD_OUT STEADY_OUT LOAD_ARGS...: the flood runs 4 s longer than the steady run, which starts 2 s in.
under_flood() {
    local flood_out=$1 steady_out=$2
    shift 2
    "$bin/dealreg" load --data "$work/data" --prefix flood --partners 1 "$@" --duration $((seconds + 4)) --json \
        > "$flood_out" 2> /dev/null &
    local flooder=$!
    sleep 2
    steady "$steady_out"
    wait "$flooder"
}
steady "$work/before.json"
under_flood "$work/flood.json" "$work/loaded.json" --concurrency "$flood"
under_flood "$work/open.json" "$work/open-loaded.json" --rate "$open"
steady "$work/after.json"
for run in before loaded open-loaded after; do
    printf '%-8s steady principal: %s/s answered %s of %s, p50 %s ms, p99 %s ms, max %s ms, errors %s\n' "$run" \
        "$rate" "$(field "$work/$run.json" answered)" "$(field "$work/$run.json" sent)" \
        "$(field "$work/$run.json" p50_ms)" "$(field "$work/$run.json" p99_ms)" "$(field "$work/$run.json" max_ms)" \
        "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["errors"])' "$work/$run.json")"
done
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
load = lambda name: json.load(open(f"{work}/{name}.json"))
before, after = load("before"), load("after")
unloaded = max(before["p99_ms"], after["p99_ms"])
for name, steady, mode in [("flood", "loaded", "closed loop"), ("open", "open-loaded", "open loop")]:
    flood, loaded = load(name), load(steady)
    print(f"{mode} flood: {flood['sent']} requests in {flood['seconds']:.1f} s "
          f"({flood['sent'] / flood['seconds']:.0f}/s), decided {sum(flood['outcomes'].values())}, "
          f"answered {flood['answered']}, refused {flood['errors']}, unanswered {flood['unanswered']}")
    print(f"  steady p99 under it / unloaded p99 (the worse of before and after): "
          f"{loaded['p99_ms']:.2f} / {unloaded:.2f} = {loaded['p99_ms'] / unloaded:.2f} (target <= 2)")
PY
