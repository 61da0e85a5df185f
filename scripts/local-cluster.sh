# Sourced by the benchmark scripts: start_cluster BIN WORK WORKERS [SEEDED] starts `dealreg up` on free ports in
# WORK/data (on a copy of the registry folder SEEDED, made by `dealreg-bench seed`, when given), waits for its
# ready line (every worker has replayed the log), and stops it (and removes WORK) when the script exits.
# Throughput benchmarks measure the stack, not the per-principal rate limit, so the cluster runs under a policy
# that lifts the limits; CLUSTER_POLICY=FILE runs it under FILE instead, CLUSTER_POLICY=default under the defaults.
# CLUSTER_STORE=postgres://… puts the registry and enforcement on PostgreSQL (the password in DEALREG_STORE_PASSWORD).
start_cluster() {
    local bin=$1 work=$2 workers=$3 seeded=${4:-}
    cluster_work=$work
    trap 'stop_cluster' EXIT
    mkdir -p "$work/data"
    if [ -n "$seeded" ]; then
        cp -r "$seeded" "$work/data/registry"
        # The ledger key that signed the seeded heads, beside the registry folder (`dealreg-bench seed`).
        if [ -d "$seeded/../keys" ]; then cp -r "$seeded/../keys" "$work/data/keys"; fi
    fi
    local policy=()
    case "${CLUSTER_POLICY:-}" in
        default) ;;
        "")
            echo '{"version": "bench-unlimited", "limits": {"requests_per_second": 1000000, "burst": 1000000}}' \
                > "$work/bench-policy.json"
            policy=(--policy "$work/bench-policy.json") ;;
        *) policy=(--policy "$CLUSTER_POLICY") ;;
    esac
    local store=()
    [ -z "${CLUSTER_STORE:-}" ] || store=(--store "$CLUSTER_STORE")
    "$bin/dealreg" up --data "$work/data" --base-port 0 --workers "$workers" --stop-with-parent --ready-timeout 1200 \
        "${policy[@]}" "${store[@]}" > "$work/up.out" 2>&1 &
    cluster_pid=$!
    # As long as `dealreg up` waits (--ready-timeout): a seeded enforcement follows the whole log first.
    for _ in $(seq 1 12000); do
        grep -q "dealreg ready" "$work/up.out" && break
        kill -0 "$cluster_pid" 2>/dev/null || { cat "$work/up.out"; exit 1; }
        sleep 0.1
    done
    grep "dealreg ready" "$work/up.out"
}

stop_cluster() {
    [ -n "${cluster_pid:-}" ] && kill -TERM "$cluster_pid" 2>/dev/null && wait "$cluster_pid" 2>/dev/null || true
    rm -rf "$cluster_work"
}

# The CPU seconds (utime + stime from /proc) the processes PID... have spent so far, together: cpu_seconds PID...
# (none, or ones gone: 0).
cpu_seconds() {
    local pid
    # Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name (which may hold spaces).
    for pid in "$@"; do sed 's/.*) //' "/proc/$pid/stat" 2> /dev/null || true; done \
        | awk -v k="$(getconf CLK_TCK)" '{ t += $12 + $13 } END { printf "%.2f\n", t / k }'
}

# The resident memory of process PID in MB: resident_mb PID.
resident_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Prints the CPU (utime + stime from /proc, over the processes' whole lives) of each service of the cluster started
# from BIN, per answered registration: print_service_cpu BIN ANSWERED.
print_service_cpu() {
    local bin=$1 answered=$2 resolved service
    # The cluster starts the services by their resolved path.
    resolved=$(readlink -f "$bin")
    for service in dealreg-registry dealreg-check dealreg-enforce; do
        # shellcheck disable=SC2046
        awk -v s="$service" -v c="$(cpu_seconds $(pgrep -f "^$resolved/$service "))" -v n="$answered" \
            'BEGIN { printf "cpu %-17s %7.2f s, %4.0f us per registration\n", s, c, c / n * 1e6 }'
    done
}

# The registry folder of a store seeded with SIZE registrations by BIN's `dealreg-bench seed`, made once under
# .build and kept for later runs: seeded_registry BIN SIZE prints its path.
seeded_registry() {
    local bin=$1 size=$2 root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local seeded="$root/.build/bench-seed-$size/registry"
    if [ ! -f "$seeded/registry.sqlite" ]; then
        rm -rf "$root/.build/bench-seed-$size"
        "$bin/dealreg-bench" seed --data "$seeded" --registrations "$size" >&2
    fi
    echo "$seeded"
}

# Starts a cluster of BIN with one worker on a copy of the store seeded with SIZE registrations (seeded_registry), in
# a new temporary folder: sets `work`, `data` (its data directory) and `cluster_seconds` (how long it took to be
# ready) for the caller: start_seeded_cluster BIN SIZE.
start_seeded_cluster() {
    local bin=$1 size=$2 seeded began
    seeded=$(seeded_registry "$bin" "$size")
    work=$(mktemp -d)
    began=$(date +%s.%N)
    start_cluster "$bin" "$work" 1 "$seeded" > /dev/null
    data="$work/data"
    cluster_seconds=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

# A field of a JSON file, by dotted path: json_field FILE a.b.c.
json_field() {
    python3 -c 'import functools, json, sys; print(functools.reduce(lambda v, k: v[k], sys.argv[2].split("."), json.load(open(sys.argv[1]))))' "$1" "$2"
}
