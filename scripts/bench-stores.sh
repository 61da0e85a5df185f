#!/usr/bin/env bash
# The registry on SQLite and on PostgreSQL in one run (issue 19): the same closed-loop load against a release
# cluster on each store (one registry; on PostgreSQL beside the server scripts/with-postgres.sh started, fsync and
# synchronous commit on), then registrations/s, latency, the registry's commit time and batch, and CPU per
# registration of each process, the PostgreSQL server's included.
#   scripts/with-postgres.sh scripts/bench-stores.sh [WORKERS] [SECONDS] [CONCURRENCY]   (defaults: 2, 10, 64)
set -euo pipefail
workers=${1:-2}
seconds=${2:-10}
concurrency=${3:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${BIN:-$root/.build/release}"
dir=${DEALREG_POSTGRES_DIR:?run under scripts/with-postgres.sh}

run() {
    local name=$1 work
    work=$(mktemp -d)
    (
        . "$root/scripts/local-cluster.sh"
        start_cluster "$bin" "$work" "$workers" > /dev/null
        # shellcheck disable=SC2046
        before=$(cpu_seconds $(pgrep -x postgres))
        "$bin/dealreg" load --data "$work/data" --concurrency "$concurrency" --duration "$seconds" \
            2> "$work/load.err" > "$work/load.out"
        # shellcheck disable=SC2046
        after=$(cpu_seconds $(pgrep -x postgres))
        answered=$(awk '/^throughput/ { gsub(/\(/, "", $4); print $4 }' "$work/load.out")
        echo "== $name"
        grep -E '^(throughput|latency|errors|registry|commits)' "$work/load.out"
        print_service_cpu "$bin" "$answered"
        awk -v a="$before" -v b="$after" -v n="$answered" \
            'BEGIN { printf "cpu %-17s %4.0f us per registration (during the load)\n", "postgres server", (b - a) / n * 1e6 }'
    )
    rm -rf "$work"
}

CLUSTER_STORE="" run "sqlite (WAL, synchronous=FULL)"
url=$("$root/scripts/postgres.sh" database "$dir" "bench_$$")
password=$(cat "$dir/password")
DEALREG_STORE_PASSWORD=$password CLUSTER_STORE="${url/:$password@/@}" run "postgresql (fsync on, synchronous_commit on)"
