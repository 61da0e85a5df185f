#!/usr/bin/env bash
# Instructions per registration in every process (the registry, each check worker, enforcement and the load
# generator), counted by valgrind's callgrind: the way to compare two builds of the same code on a shared, noisy
# machine (seconds are not comparable there; instruction counts are). Runs a local cluster from BIN (default: this
# checkout's release build) with its services under callgrind, zeroes their counters once the cluster is ready,
# drives `dealreg load` (itself under callgrind, counted whole) for SECONDS at CONCURRENCY, then dumps the counters
# and divides by the registrations answered.
# Usage: scripts/bench-instructions.sh [BIN] [SECONDS] [CONCURRENCY]   (defaults: .build/release, 60, 16)
# Compare builds: scripts/bench-instructions.sh /path/to/old/.build/release; scripts/bench-instructions.sh
# PROFILES=DIR keeps the services' callgrind dumps there (read them with callgrind_annotate --inclusive=yes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
real=$(cd "${1:-$root/.build/release}" && pwd)
seconds=${2:-60}
concurrency=${3:-16}
"$root/scripts/install-deps.sh" valgrind

work=$(mktemp -d)
bin="$work/bin"
profiles="$work/profiles"
mkdir -p "$bin" "$profiles"
# valgrind 3.19 (Debian 12) has two faults with these binaries, worked around here. It cannot read the DWARF 5
# debug info Swift writes, so the services run from copies without it (function names stay). And its
# rt_sigsuspend wrapper writes into the signal mask it is given, which libdispatch's dispatchMain() keeps in
# read-only memory: a preloaded sigsuspend passes the kernel a writable copy instead.
cat > "$work/sigsuspend.c" <<'SHIM'
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
SHIM
cc -O2 -shared -fPIC -o "$work/sigsuspend.so" "$work/sigsuspend.c"
# `dealreg up` starts the services from its own folder: a copy of the tools beside wrappers for the two services.
cp "$real/dealreg" "$bin/"
for service in dealreg-registry dealreg-enforce dealreg-check; do
    objcopy --strip-debug "$real/$service" "$bin/$service.real"
    cat > "$bin/$service" <<WRAPPER
#!/bin/sh
export LD_PRELOAD="$work/sigsuspend.so"
exec valgrind --tool=callgrind --callgrind-out-file="$profiles/$service.%p" \\
    "$bin/$service.real" "\$@"
WRAPPER
    chmod +x "$bin/$service"
done

. "$root/scripts/local-cluster.sh"
start_cluster "$bin" "$work/cluster" 2
# A warm-up first: the first customer a process normalises builds the matcher's static tables (legal forms, public
# suffixes), a one-time cost that came to 137,000 instructions per registration of a 20 s run when counted.
"$bin/dealreg" load --data "$work/cluster/data" --concurrency "$concurrency" --duration 3 > /dev/null 2>&1
# Each service's idle cost first (ticks, heartbeats, sweeps: a fixed rate that a slow run under callgrind would
# otherwise spread over few registrations), then the load. Without a pid, callgrind_control acts on every program
# running under callgrind: the services. A dump also zeroes the counters.
idle=10
callgrind_control -z > /dev/null 2>&1
sleep "$idle"
callgrind_control -d > /dev/null 2>&1
# The load generator counts only inside its run loop (not its start: keys, partners, connections).
objcopy --strip-debug "$real/dealreg" "$bin/dealreg.real"
LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file="$profiles/dealreg-load.%p" \
    --toggle-collect='$s9DealTools13LoadGeneratorC3run*' \
    "$bin/dealreg.real" load --data "$work/cluster/data" --concurrency "$concurrency" --duration "$seconds" \
    2> "$work/load.err" | tee "$work/load.out"
callgrind_control -d > /dev/null 2>&1
answered=$(awk '/^throughput/ { gsub(/\(/, "", $4); print $4 }' "$work/load.out")
echo "build: $real"
echo "per registration: all the process executed during the load; marginal: less its idle rate over that time"
total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }
# Dump 1 of each service is its idle run, dump 2 its run under load; the load generator's one dump, its run loop.
for dump in "$profiles"/dealreg-registry.*.2 "$profiles"/dealreg-check.*.2 "$profiles"/dealreg-enforce.*.2 \
    "$profiles"/dealreg-load.*; do
    name=$(basename "$dump" | sed 's/\.2$//')
    idle_total=0
    case $dump in *.2) idle_total=$(total "${dump%.2}.1") ;; esac
    awk -v s="$name" -v t="$(total "$dump")" -v i="$idle_total" -v n="$answered" -v d="$seconds" -v w="$idle" \
        'BEGIN { printf "%-24s %14d instructions, %d registrations: %8.0f per registration, %8.0f marginal\n",
                 s, t, n, t / n, (t - i * d / w) / n }'
done
if [ -n "${PROFILES:-}" ]; then mkdir -p "$PROFILES" && cp "$profiles"/* "$PROFILES"/; fi
rm -rf "$work"
