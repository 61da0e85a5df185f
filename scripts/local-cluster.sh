# Sourced by the benchmark scripts: start_cluster BIN WORK WORKERS [SEEDED] starts `dealreg up` on free ports in
# WORK/data (on a copy of the registry folder SEEDED, made by `dealreg-bench seed`, when given), waits for its
# ready line (every worker has replayed the log), and stops it (and removes WORK) when the script exits.
start_cluster() {
    local bin=$1 work=$2 workers=$3 seeded=${4:-}
    cluster_work=$work
    trap 'stop_cluster' EXIT
    if [ -n "$seeded" ]; then
        mkdir -p "$work/data"
        cp -r "$seeded" "$work/data/registry"
    fi
    "$bin/dealreg" up --data "$work/data" --base-port 0 --workers "$workers" --stop-with-parent --ready-timeout 1200 \
        > "$work/up.out" 2>&1 &
    cluster_pid=$!
    for _ in $(seq 1 6000); do
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
