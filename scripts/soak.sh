#!/usr/bin/env bash
# Soak: a local cluster under `dealreg load` at a steady rate for SECONDS, with the resident memory and open file
# descriptors of every service (and of the load generator) sampled every SAMPLE seconds. The customers are a
# bounded population, so once each is registered (the warm-up) the work no longer adds to what the services
# index: from then on, memory and descriptors must stay flat. Prints a table, then each process at the end of
# the warm-up and at the end with the change, and exits 1 when a service holds more descriptors at the end than
# after the warm-up.
# Usage: scripts/soak.sh [SECONDS] [RATE] [BUILD] [CUSTOMERS]   (defaults: 1800, 200, release, 20000)
set -euo pipefail
seconds=${1:-1800}
rate=${2:-200}
build=${3:-release}
customers=${4:-20000}
sample=${SAMPLE:-$(( seconds >= 600 ? 60 : 10 ))}
warmup=${WARMUP:-$(( seconds / 4 ))}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/$build"
work=$(mktemp -d)
. "$root/scripts/local-cluster.sh"
start_cluster "$bin" "$work" "${WORKERS:-2}"

"$bin/dealreg" load --data "$work/data" --rate "$rate" --duration "$seconds" --customers "$customers" \
    --conflict-ratio 0.2 > "$work/load.out" 2> "$work/load.err" &
load_pid=$!

# name pid rss_kib fds, one line per process: the cluster's services (children of `dealreg up`) and the load.
snapshot() {
    local pid name
    for pid in $(pgrep -P "$cluster_pid") "$load_pid"; do
        [ -r "/proc/$pid/status" ] || continue
        name=$(tr -d '\0' < "/proc/$pid/comm")
        [ "$pid" = "$load_pid" ] && name=load
        case "$name" in dealreg-check) name="check-$pid" ;; dealreg-registr) name=registry ;; dealreg-enforce) name=enforcement ;; esac
        echo "$name $pid $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") $(ls "/proc/$pid/fd" 2>/dev/null | wc -l)"
    done
}

start=$(date +%s)
printf '%6s  %s\n' "second" "process rss_MiB fds ..."
warm=""
while kill -0 "$load_pid" 2>/dev/null; do
    now=$(( $(date +%s) - start ))
    snap=$(snapshot)
    printf '%6d  %s\n' "$now" "$(echo "$snap" | awk '{printf "%s %.1f %d   ", $1, $3 / 1024, $4}')"
    if [ -z "$warm" ] && [ "$now" -ge "$warmup" ]; then warm=$snap; fi
    last=$snap
    sleep "$sample"
done
wait "$load_pid" || { cat "$work/load.err"; exit 1; }
cat "$work/load.out"
[ -n "$warm" ] || warm=$last

echo "after the warm-up ($warmup s) and at the end ($seconds s):"
status=0
while read -r name pid rss fds; do
    end=$(echo "$last" | awk -v pid="$pid" '$2 == pid')
    if [ -z "$end" ]; then echo "  $name: gone before the end (restarted?)"; status=1; continue; fi
    read -r _ _ end_rss end_fds <<< "$end"
    awk -v n="$name" -v a="$rss" -v b="$end_rss" -v f="$fds" -v g="$end_fds" \
        'BEGIN { printf "  %-14s rss %7.1f -> %7.1f MiB (%+.1f%%)   fds %4d -> %4d\n", n, a / 1024, b / 1024, (b - a) * 100 / a, f, g }'
    # The services must hold exactly as many descriptors; the load generator (a client whose ZeroMQ sockets come and
    # go with reconnects) is only reported.
    if [ "$name" != load ] && [ "$end_fds" -gt "$fds" ]; then
        echo "  $name holds more file descriptors than after the warm-up"
        status=1
    fi
done <<< "$warm"
exit $status
