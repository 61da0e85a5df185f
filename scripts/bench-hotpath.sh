#!/usr/bin/env bash
# The hot path in one run (issue 20): the two peers of bench/peers (the C ceiling and the gRPC-swift peer, an RPC
# that does nothing) and then `dealreg load` against a release cluster at each index size, with:
#   - the closed loop at CONCURRENCY in flight: decisions/s, p50 / p99 / p99.9, and the CPU per registration of every
#     process (registry, each check worker, enforcement, the load generator; utime + stime from /proc over the run);
#   - the open loop at half that rate: p99;
#   - one in flight (unloaded): p50;
# then the ratios of dealreg's decisions/s to both peers' calls/s, measured minutes apart on the same machine.
# Usage: scripts/bench-hotpath.sh [SECONDS] [INDEX SIZES] [WORKERS] [CONCURRENCY]
#        (defaults: 10, "1000 1000000", 2, 64). BIN=DIR measures another build's binaries (its dealreg, services and
#        dealreg-bench); PEERS=0 skips the peers. Needs a release build (`make release`).
set -euo pipefail
seconds=${1:-10}
sizes=${2-"1000 1000000"}
workers=${3:-2}
concurrency=${4:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(readlink -f "${BIN:-$root/.build/release}")
. "$root/scripts/local-cluster.sh"

# The CPU seconds a command and its children spent, printed to fd 3; the command's output goes to stdout.
with_cpu() {
    python3 -c '
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(u.ru_utime + u.ru_stime, file=open("/dev/fd/3", "w"))
sys.exit(code)' "$@"
}
# The value of KEY= in a peer's line.
peer_value() { tr ' ' '\n' <<< "$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

echo "# $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), dealreg binaries $bin"
grpc_rate=0
ceiling_rate=0
if [ "${PEERS:-1}" != 0 ]; then
    read -r ceiling_dir grpc_dir < <("$root/scripts/bench-peers.sh")
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$grpc_dir/grpc-bench-server" 127.0.0.1 "$port" > /dev/null 2>&1 &
    server=$!
    sleep 1
    server0=$(cpu_seconds "$server")
    grpc64=$(with_cpu "$grpc_dir/grpc-bench-client" "127.0.0.1:$port" 100000 "$concurrency" 3> "$root/.build-grpc-peer/cpu")
    client_cpu=$(cat "$root/.build-grpc-peer/cpu")
    server_cpu=$(awk -v a="$server0" -v b="$(cpu_seconds "$server")" 'BEGIN { print b - a }')
    grpc1=$("$grpc_dir/grpc-bench-client" "127.0.0.1:$port" 5000 1)
    kill "$server"
    wait "$server" 2> /dev/null || true
    (cd "$ceiling_dir" && exec ./ceiling server "tcp://127.0.0.1:$port") > /dev/null 2>&1 &
    server=$!
    sleep 0.5
    c64=$("$ceiling_dir/ceiling" client "tcp://127.0.0.1:$port" 500000 "$concurrency")
    c1=$("$ceiling_dir/ceiling" client "tcp://127.0.0.1:$port" 20000 1)
    kill "$server"
    wait "$server" 2> /dev/null || true
    grpc_rate=$(peer_value "$grpc64" rpcs_per_s)
    ceiling_rate=$(peer_value "$c64" msgs_per_s)
    echo
    echo "| peer | in flight | calls/s | p50 (ms) | p99 (ms) | CPU µs per call |"
    echo "|---|---:|---:|---:|---:|---|"
    for row in "gRPC-swift, empty handler|$concurrency|$grpc64" "gRPC-swift, empty handler|1|$grpc1" \
        "C ZeroMQ + protobuf-c ceiling|$concurrency|$c64" "C ZeroMQ + protobuf-c ceiling|1|$c1"; do
        IFS='|' read -r name window line <<< "$row"
        rate=$(peer_value "$line" rpcs_per_s)
        [ -n "$rate" ] || rate=$(peer_value "$line" msgs_per_s)
        cpu=""
        if [ "$name" = "gRPC-swift, empty handler" ] && [ "$window" = "$concurrency" ]; then
            cpu=$(awk -v s="$server_cpu" -v c="$client_cpu" 'BEGIN { printf "server %.0f, client %.0f", s / 100000 * 1e6, c / 100000 * 1e6 }')
        fi
        awk -v n="$name" -v w="$window" -v r="$rate" -v p50="$(peer_value "$line" p50_us)" \
            -v p99="$(peer_value "$line" p99_us)" -v cpu="$cpu" \
            'BEGIN { printf "| %s | %d | %.0f | %.3f | %.3f | %s |\n", n, w, r, p50 / 1000, p99 / 1000, cpu }'
    done
fi

echo
echo "| index | decisions/s | p50 / p99 / p99.9 (ms) | p99 at half (ms) | p50 unloaded (ms) | registry µs/reg | each worker µs/reg | enforcement µs/reg | load µs/reg | ready (s) | RSS registry / worker / enforcement (MB) | ÷ gRPC | ÷ C |"
echo "|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|"
for size in $sizes; do
    seeded=$(seeded_registry "$bin" "$size")
    work=$(mktemp -d)
    began=$(date +%s.%N)
    start_cluster "$bin" "$work" "$workers" "$seeded" > /dev/null
    ready=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    # An index of 5,000 entries or more is written to its snapshot as soon as the cluster is live (a background
    # thread, seconds of CPU at a million): wait for the workers' (one of them writes the host's file) and
    # enforcement's, so a one-time write is not counted as the registrations' cost.
    if [ "$size" -ge 5000 ]; then
        for _ in $(seq 1 240); do
            grep -q "index snapshot written" "$work/data/logs"/check-*.log 2> /dev/null \
                && grep -q "index snapshot written" "$work/data/logs/enforcement.log" 2> /dev/null && break
            sleep 0.5
        done
    fi
    registry=$(pgrep -f "^$bin/dealreg-registry ")
    enforcement=$(pgrep -f "^$bin/dealreg-enforce ")
    checks=$(pgrep -f "^$bin/dealreg-check " | tr '\n' ' ')
    before=()
    for pid in $registry $checks $enforcement; do before+=("$(cpu_seconds "$pid")"); done
    "$bin/dealreg" load --data "$work/data" --concurrency "$concurrency" --duration "$seconds" --json \
        > "$work/max.json" 2> /dev/null
    spent=()
    i=0
    for pid in $registry $checks $enforcement; do
        spent+=("$(awk -v a="${before[$i]}" -v b="$(cpu_seconds "$pid")" 'BEGIN { print b - a }')")
        i=$((i + 1))
    done
    memory="$(resident_mb "$registry") / $(for pid in $checks; do resident_mb "$pid"; echo -n " "; done | xargs | tr ' ' ',')"
    memory+=" / $(resident_mb "$enforcement")"
    max=$(json_field "$work/max.json" throughput)
    answered=$(json_field "$work/max.json" answered)
    half=$(awk -v m="$max" 'BEGIN { printf "%d", m / 2 }')
    "$bin/dealreg" load --data "$work/data" --rate "$half" --duration "$seconds" --json > "$work/half.json" 2> /dev/null
    "$bin/dealreg" load --data "$work/data" --concurrency 1 --duration "$(( seconds < 5 ? seconds : 5 ))" --json \
        > "$work/one.json" 2> /dev/null
    per() { awk -v c="$1" -v n="$answered" 'BEGIN { printf "%.0f", c / n * 1e6 }'; }
    worker_costs=""
    for ((w = 1; w <= workers; w++)); do worker_costs+="$(per "${spent[$w]}") "; done
    awk -v size="$size" -v max="$max" -v p50="$(json_field "$work/max.json" p50_ms)" \
        -v p99="$(json_field "$work/max.json" p99_ms)" -v p999="$(json_field "$work/max.json" p999_ms)" \
        -v half="$(json_field "$work/half.json" p99_ms)" -v one="$(json_field "$work/one.json" p50_ms)" \
        -v r="$(per "${spent[0]}")" -v c="$(echo "$worker_costs" | xargs | tr ' ' ',')" \
        -v e="$(per "${spent[$((workers + 1))]}")" -v l="$(per "$(json_field "$work/max.json" cpu_seconds)")" \
        -v ready="$ready" -v mem="$memory" -v g="$grpc_rate" -v cc="$ceiling_rate" \
        'BEGIN { printf "| %d | %.0f | %.2f / %.2f / %.2f | %.2f | %.3f | %s | %s | %s | %s | %s | %s | %s | %s |\n",
            size, max, p50, p99, p999, half, one, r, c, e, l, ready, mem,
            (g > 0 ? sprintf("%.2f×", max / g) : ""), (cc > 0 ? sprintf("%.4f×", max / cc) : "") }'
    stop_cluster
    trap - EXIT
done
