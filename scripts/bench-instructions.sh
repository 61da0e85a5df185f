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
# Without a pid, callgrind_control acts on every program running under callgrind: the services.
callgrind_control -z > /dev/null 2>&1
objcopy --strip-debug "$real/dealreg" "$bin/dealreg.real"
LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file="$profiles/dealreg-load.%p" \
    "$bin/dealreg.real" load --data "$work/cluster/data" --concurrency "$concurrency" --duration "$seconds" \
    2> "$work/load.err" | tee "$work/load.out"
callgrind_control -d > /dev/null 2>&1
answered=$(awk '/^throughput/ { gsub(/\(/, "", $4); print $4 }' "$work/load.out")
echo "build: $real"
# Dump 1 of each service holds what it executed between the zero and the dump; the load generator's one dump, its
# whole run (start and the two status requests included).
for dump in "$profiles"/dealreg-registry.*.1 "$profiles"/dealreg-check.*.1 "$profiles"/dealreg-enforce.*.1 \
    "$profiles"/dealreg-load.*; do
    name=$(basename "$dump" | sed 's/\.1$//')
    total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
    awk -v s="$name" -v t="$total" -v n="$answered" \
        'BEGIN { printf "%-24s %14d instructions, %d registrations, %.0f per registration\n", s, t, n, t / n }'
done
if [ -n "${PROFILES:-}" ]; then mkdir -p "$PROFILES" && cp "$profiles"/* "$PROFILES"/; fi
rm -rf "$work"
