#!/usr/bin/env bash
# A multi-host deployment on one machine: five network namespaces joined by veth links to a bridge, one per host,
# each with its own address, its own data folder and its own secret key:
#
#   registry  10.77.0.10   dealreg-registry (api 7400, work 7401, events 7402, sync 7403)
#   check1    10.77.0.11   dealreg-check, key svc-check-1
#   check2    10.77.0.12   dealreg-check, key svc-check-2
#   enforce   10.77.0.13   dealreg-enforce (api 7410, events 7411), key svc-enforce
#   client    10.77.0.20   the `dealreg` command line, key admin (and the load partners' keys)
#
# Each host creates its own key pair (`dealreg keys create`, as a partner does), so no secret ever leaves the host
# that uses it; only public keys travel: the registry's bootstrap file of parties (to the registry and enforcement),
# the registry's public key from its endpoints.json (to every other host), enforcement's endpoints.json (address and
# public key, to the client). Services bind and connect only on the 10.77.0.x addresses; loopback is up in every
# namespace but no socket of the run may use it.
#
# The run: `dealreg load` on the client host adds partners load-1..32 as the admin, then registers for DURATION
# seconds with CONCURRENCY requests in flight (so each worker always holds checks). A quarter of the way in, the
# check worker of host check2 is killed with SIGKILL, left dead until the registry has noticed, then started again.
# Then it checks that every registration was answered with a decision (no error code of any kind is accepted), that
# the registry has two ready workers again and enforcement has applied the whole event log, that both ledgers
# verify, that the registry stored exactly one registration and one event per non-duplicate decision, that every
# host had connections and none on loopback, and that every service stops cleanly on SIGTERM. It prints each check
# as ok or FAIL and exits 1 if any failed. About 40 s in debug on 2 cores.
#
# With `postgres` (issue 19), the store is PostgreSQL and the registry a failover group, on two more hosts:
#
#   registry2 10.77.0.14   a second dealreg-registry on the same store, standing by unbound
#   db        10.77.0.30   PostgreSQL, listening on its address only; role and database `dealreg`
#
# Both registries and enforcement run with --store postgres://dealreg@10.77.0.30:5432/dealreg (each service in its
# own schema), the password in a root-only file on those hosts only; the first registry holds the lease, the second
# waits. They share the
# registry's identity: its server key and ledger key are copied from the first registry host to the second, the only
# secrets that move. Check workers, enforcement and the client are given both registries' endpoints, comma-separated.
# A quarter of the way into the load, instead of check2's worker, the active registry's host is lost: its link goes
# down, then every process on it is killed (nothing it says reaches anyone, as when a host loses power). The run
# shows the time until the other registry holds the lease and until a registration sent after the loss is decided,
# then checks the same invariants (the registrations counted in PostgreSQL).
#
#   sudo deploy/multihost.sh [BUILD [postgres] [DURATION [CONCURRENCY]]]    # debug (default) or release; sqlite
#                                                                           # (default) or postgres; 30 s; 16
#
# It needs root (network namespaces); without them it prints "multihost: skipped: ..." and exits 0. Set
# MULTIHOST_KEEP=1 to keep the run's folder (data, keys, logs). Everything it creates (processes, namespaces,
# veth links, the bridge, the temporary folder) is removed on every exit path; each run's names carry its pid.
set -u -o pipefail

BUILD=${1:-debug}
STORE=sqlite
if [ "${2:-}" = postgres ]; then
    STORE=postgres
    set -- "$1" "${@:3}"
fi
DURATION=${2:-30}
CONCURRENCY=${3:-16}
# Kill check2's worker once the load has run this long (a quarter of the way in).
KILL_AFTER=$((DURATION / 4 > 1 ? DURATION / 4 : 1))
# The load's partners: 32 keep each under the default rate limit (100 requests/s, burst 500) up to 3,000
# registrations/s, far more than a 2-core machine reaches in release.
PARTNERS=32
SUBNET=10.77.0

# Hermetic: the caller's dealreg settings (DEALREG_DATA, DEALREG_REGISTRY, DEALREG_<SERVICE>_<OPTION>, ...) would
# reach the services and the command line; only the log format is passed on.
for variable in $(compgen -e | grep '^DEALREG_' | grep -v '^DEALREG_LOG_FORMAT$'); do unset "$variable"; done

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/.build/$BUILD

skip() {
    echo "multihost: skipped: needs root and network namespaces ($1)"
    exit 0
}

[ "$(id -u)" = 0 ] || skip "running as uid $(id -u), not root"
command -v ip > /dev/null || skip "no 'ip' command (iproute2)"
for binary in dealreg dealreg-registry dealreg-check dealreg-enforce; do
    if [ ! -x "$bin/$binary" ]; then
        echo "multihost: FAIL: $bin/$binary is missing; build first (swift build -c $BUILD)"
        exit 1
    fi
done

if [ "$STORE" = postgres ]; then
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
    if [ -z "$pgbin" ]; then
        echo "multihost: installing PostgreSQL (Debian's package)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
        # Debian's package starts a cluster of its own; this run uses its own only.
        service postgresql stop > /dev/null 2>&1 || true
        pgbin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
    fi
    if [ -z "$pgbin" ] || ! id postgres > /dev/null 2>&1; then
        echo "multihost: FAIL: PostgreSQL is missing and could not be installed"
        exit 1
    fi
fi

run=$$
hosts=(registry check1 check2 enforce client)
# The registries of the group: every client is given all of them.
registry_hosts=(registry)
if [ "$STORE" = postgres ]; then
    hosts=(registry registry2 db check1 check2 enforce client)
    registry_hosts=(registry registry2)
fi
declare -A address=(
    [registry]=$SUBNET.10 [check1]=$SUBNET.11 [check2]=$SUBNET.12 [enforce]=$SUBNET.13 [client]=$SUBNET.20
    [registry2]=$SUBNET.14 [db]=$SUBNET.30)
bridge_ns=dr-net-$run
namespaces=()
pids=()
work=$(mktemp -d "${TMPDIR:-/tmp}/dealreg-multihost.XXXXXX")
logs=$work/logs
mkdir -p "$logs"
started=$(date +%s)
failures=0

now() { date +%H:%M:%S.%3N; }
say() { echo "multihost: $*"; }
ns() { echo "dr-$1-$run"; }
# Runs a command on a host (in its namespace).
on() {
    local host=$1
    shift
    ip netns exec "$(ns "$host")" "$@"
}

# Starts a command on a host in the background, output appended to LOG; its pid (the command's own: `ip netns exec`
# execs it) is in $! and in pids.
spawn() {
    local log=$1 host=$2
    shift 2
    ip netns exec "$(ns "$host")" "$@" >> "$log" 2>&1 &
    pids+=("$!")
}

print_logs() {
    for log in "$logs"/*.log; do
        [ -f "$log" ] || continue
        echo "----- last lines of $(basename "$log")"
        tail -n 25 "$log"
    done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$status" != 0 ]; then print_logs; fi
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null; done
    for _ in $(seq 1 100); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2> /dev/null; done
    if [ -n "${pgdir:-}" ] && [ -e "$pgdir/data/postmaster.pid" ]; then
        runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop > /dev/null 2>&1
    fi
    # Anything else still inside this run's namespaces was started by this run.
    for namespace in "${namespaces[@]}"; do
        for pid in $(ip netns pids "$namespace" 2> /dev/null); do kill -KILL "$pid" 2> /dev/null; done
    done
    wait 2> /dev/null
    # Deleting a namespace deletes the veth ends in it, their peers, and the bridge in dr-net.
    for namespace in "${namespaces[@]}"; do ip netns del "$namespace" 2> /dev/null; done
    if [ "${MULTIHOST_KEEP:-}" = 1 ]; then
        echo "multihost: kept $work${pgdir:+ and $pgdir}"
    else
        rm -rf "$work" ${pgdir:+"$pgdir"}
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
    echo "multihost: FAIL: $*"
    exit 1
}

# check NAME DETAIL COMMAND...: prints NAME as ok when COMMAND succeeds, else as FAIL and counts it.
check() {
    local name=$1 detail=$2
    shift 2
    if "$@"; then
        printf 'multihost: check  ok    %s%s\n' "$name" "${detail:+  ($detail)}"
    else
        printf 'multihost: check  FAIL  %s%s\n' "$name" "${detail:+  ($detail)}"
        failures=$((failures + 1))
    fi
}

# The value of a field of one line of compact JSON (numbers, booleans, strings without quotes); the last one when
# nested objects have a field of that name too.
field() {
    sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" <<< "$2" | head -n 1 | tr -d '"' | sed 's|\\/|/|g'
}

# The body of a top-level object field of one line of compact JSON: `"A":1,"B":2`, or nothing.
object() {
    sed -n "s/.*\"$1\":{\([^}]*\)}.*/\1/p" <<< "$2" | head -n 1
}

# The network.

# Namespaces of earlier runs killed with SIGKILL (no trap ran), whose script is gone: their services stopped with
# their parent (--stop-with-parent); only the namespaces are left.
ours='s/^\(dr-\(net\|registry\|registry2\|db\|check1\|check2\|enforce\|client\)-[0-9]*\)\( .*\)\{0,1\}$/\1/p'
for namespace in $(ip netns list 2> /dev/null | sed -n "$ours"); do
    owner=${namespace##*-}
    if [ "$owner" != "$run" ] && ! kill -0 "$owner" 2> /dev/null; then
        ip netns del "$namespace" 2> /dev/null && say "removed $namespace, left by an earlier run (pid $owner gone)"
    fi
done
if ! error=$(ip netns add "$bridge_ns" 2>&1); then
    case $error in
        *"File exists"*) die "namespace $bridge_ns exists already" ;;
        *) skip "ip netns add failed: $error" ;;
    esac
fi
namespaces+=("$bridge_ns")
ip -n "$bridge_ns" link set lo up || die "cannot bring up lo in $bridge_ns"
ip -n "$bridge_ns" link add br0 type bridge || die "cannot create the bridge in $bridge_ns"
ip -n "$bridge_ns" link set br0 up || die "cannot bring the bridge up"
for host in "${hosts[@]}"; do
    namespace=$(ns "$host")
    ip netns add "$namespace" || die "cannot create namespace $namespace"
    namespaces+=("$namespace")
    ip -n "$bridge_ns" link add "v-$host" type veth peer name eth0 netns "$namespace" \
        || die "cannot create the veth link of $host"
    ip -n "$bridge_ns" link set "v-$host" master br0 up || die "cannot attach $host to the bridge"
    ip -n "$namespace" link set lo up || die "cannot bring up lo on $host"
    ip -n "$namespace" addr add "${address[$host]}/24" dev eth0 || die "cannot address $host"
    ip -n "$namespace" link set eth0 up || die "cannot bring up eth0 on $host"
    mkdir -p "$work/$host"
done
say "network: bridge br0 in $bridge_ns, $SUBNET.0/24"
for host in "${hosts[@]}"; do
    printf 'multihost:   %-9s %-12s namespace %s\n' "$host" "${address[$host]}" "$(ns "$host")"
done

# Keys: each host makes its own; only public keys travel.

# Creates a key pair in a host's keystore (HOST/data/keys) and prints its public key.
make_key() {
    local host=$1 id=$2 kind=$3
    on "$host" "$bin/dealreg" keys create "$id" --kind "$kind" --data "$work/$host/data" 2>> "$logs/keys.log" \
        || die "cannot create the key of $id on $host"
}
admin_key=$(make_key client admin admin)
check1_key=$(make_key check1 svc-check-1 check-worker)
check2_key=$(make_key check2 svc-check-2 check-worker)
enforce_key=$(make_key enforce svc-enforce enforcement-service)

party() {
    printf '{"id":"%s","kind":"%s","name":"%s","public_key":"%s"}' \
        "$1" "$2" "$3" "$4"
}
{
    echo "["
    echo "  $(party admin admin "Administrator (client host)" "$admin_key"),"
    echo "  $(party svc-check-1 check-worker "Check worker on check1" "$check1_key"),"
    echo "  $(party svc-check-2 check-worker "Check worker on check2" "$check2_key"),"
    echo "  $(party svc-enforce enforcement-service "Enforcement" "$enforce_key")"
    echo "]"
} > "$work/registry/bootstrap.json"
cp "$work/registry/bootstrap.json" "$work/enforce/bootstrap.json"
say "keys: admin on client, svc-check-1 on check1, svc-check-2 on check2, svc-enforce on enforce (secrets stay there)"

# The store on PostgreSQL: a server of this run's own on the db host, listening on its address only. The services
# log in as `dealreg` with a password; the superuser is reachable only through the server's Unix socket, as root.
if [ "$STORE" = postgres ]; then
    pgdir=$(mktemp -d "${TMPDIR:-/tmp}/dealreg-multihost-pg.XXXXXX")
    chown postgres: "$pgdir"
    runuser -u postgres -- "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 > "$pgdir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$pgdir/initdb.log")"
    echo "host dealreg dealreg $SUBNET.0/24 scram-sha-256" >> "$pgdir/data/pg_hba.conf"
    ln -s "$pgdir/server.log" "$logs/postgres.log"
    # A registry host that vanishes in the middle of a commit leaves its session open on the server, holding the
    # lease row until the server sees the connection is dead: short keepalives see it in about 3 s rather than the
    # hours of the kernel's defaults (deploy/README.md, "PostgreSQL").
    keepalives="-c tcp_keepalives_idle=1 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=2 -c tcp_user_timeout=3000"
    on db runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
        -o "-c listen_addresses=${address[db]} -p 5432 -k $pgdir $keepalives" start > /dev/null \
        || die "PostgreSQL did not start on db"
    psql_db() {
        on db runuser -u postgres -- "$pgbin/psql" -h "$pgdir" -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
    }
    store_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    psql_db -d postgres <<< "CREATE ROLE dealreg LOGIN PASSWORD '$store_password';
        CREATE DATABASE dealreg OWNER dealreg;" || die "cannot create the role and database dealreg"
    store_url=postgres://dealreg@${address[db]}:5432/dealreg
    for host in "${registry_hosts[@]}" enforce; do
        (umask 077 && printf '%s\n' "$store_password" > "$work/$host/store-password")
    done
    say "db: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on ${address[db]}:5432, store $store_url" \
        "(the password in a root-only file on ${registry_hosts[*]} and enforce)"
fi

# Services.

# A comma-separated list of every registry's endpoint on PORT: what workers, enforcement and clients are given.
registry_endpoints() {
    local port=$1 list="" host
    for host in "${registry_hosts[@]}"; do list+="${list:+,}tcp://${address[$host]}:$port"; done
    echo "$list"
}
registry_address=${address[registry]}
registry_api=$(registry_endpoints 7400)

# await_endpoints NAME FILE PID: waits until the endpoints.json FILE names PID (the service serves); fails when PID
# exits first.
await_endpoints() {
    local name=$1 file=$2 pid=$3
    for _ in $(seq 1 1200); do
        if [ -f "$file" ] && [ "$(field pid "$(tr -d ' \n' < "$file")")" = "$pid" ]; then return 0; fi
        kill -0 "$pid" 2> /dev/null || die "$name exited before serving (see its log below)"
        sleep 0.1
    done
    die "$name did not serve within 120 s"
}

declare -A registry_pid_of
start_registry() {
    local host=$1 at=${address[$1]}
    local store=()
    if [ "$STORE" = postgres ]; then
        store=(--store "$store_url" --store-password-file "$work/$host/store-password" --instance "$host")
    fi
    spawn "$logs/$host.log" "$host" "$bin/dealreg-registry" --data "$work/$host/data" \
        --api "tcp://$at:7400" --work "tcp://$at:7401" --events "tcp://$at:7402" --sync "tcp://$at:7403" \
        --bootstrap "$work/$host/bootstrap.json" "${store[@]}" --stop-with-parent
    registry_pid_of[$host]=$!
}
start_registry registry
registry_pid=${registry_pid_of[registry]}
await_endpoints registry "$work/registry/data/endpoints.json" "$registry_pid"
registry_key=$(field public_key "$(tr -d ' \n' < "$work/registry/data/endpoints.json")")
[ -n "$registry_key" ] || die "no public_key in the registry's endpoints.json"
# What travels to the other hosts: the registry's public key, nothing else.
for host in check1 check2 enforce client; do echo "$registry_key" > "$work/$host/registry.pub"; done
say "registry serving on $registry_address (pid $registry_pid), public key $registry_key"
if [ "$STORE" = postgres ]; then
    # The group shares one identity: the second registry host gets the first's server key and ledger key.
    mkdir -p "$work/registry2/data" "$work/registry2/keys"
    install -m 0600 "$work/registry/data/server.key" "$work/registry2/data/server.key"
    install -m 0600 "$work/registry/keys/registry-ledger.key" "$work/registry2/keys/registry-ledger.key"
    cp "$work/registry/bootstrap.json" "$work/registry2/bootstrap.json"
    start_registry registry2
    for _ in $(seq 1 600); do
        grep -q 'registry standby' "$logs/registry2.log" 2> /dev/null && break
        kill -0 "${registry_pid_of[registry2]}" 2> /dev/null || die "registry2 exited (see its log below)"
        sleep 0.1
    done
    grep -q 'registry standby' "$logs/registry2.log" || die "registry2 did not stand by within 60 s"
    say "registry2 standing by on ${address[registry2]} (pid ${registry_pid_of[registry2]}): binds nothing," \
        "takes the lease when the active registry's lapses"
fi

declare -A check_pid
start_check() {
    local host=$1 id=$2
    spawn "$logs/$host.log" "$host" "$bin/dealreg-check" --name "$host" --key "$work/$host/data/keys/$id.key" \
        --registry-work "$(registry_endpoints 7401)" --registry-events "$(registry_endpoints 7402)" \
        --registry-sync "$(registry_endpoints 7403)" --registry-key="$(cat "$work/$host/registry.pub")" \
        --stop-with-parent
    check_pid[$host]=$!
}
start_check check1 svc-check-1
start_check check2 svc-check-2
say "check workers started: check1 (pid ${check_pid[check1]}), check2 (pid ${check_pid[check2]})"

enforce_address=${address[enforce]}
enforce_store=()
[ "$STORE" = sqlite ] || enforce_store=(--store "$store_url" --store-password-file "$work/enforce/store-password")
spawn "$logs/enforce.log" enforce "$bin/dealreg-enforce" --data "$work/enforce/data" "${enforce_store[@]}" \
    --api "tcp://$enforce_address:7410" --events "tcp://$enforce_address:7411" \
    --key "$work/enforce/data/keys/svc-enforce.key" --registry-events "$(registry_endpoints 7402)" \
    --registry-sync "$(registry_endpoints 7403)" --registry-api "$registry_api" \
    --registry-key="$(cat "$work/enforce/registry.pub")" --bootstrap "$work/enforce/bootstrap.json" \
    --stop-with-parent
enforce_pid=$!
await_endpoints enforcement "$work/enforce/data/endpoints.json" "$enforce_pid"
# `dealreg status` and `audit verify` find enforcement only through DATA/enforcement/endpoints.json: the client
# gets enforcement's address and public key that way (no secret in it).
mkdir -p "$work/client/data/enforcement"
cp "$work/enforce/data/endpoints.json" "$work/client/data/enforcement/endpoints.json"
say "enforcement serving on $enforce_address (pid $enforce_pid)"

# The command line on the client host, reaching the registry the way a remote client does.
cli() {
    on client env DEALREG_DATA="$work/client/data" DEALREG_REGISTRY="$registry_api" \
        DEALREG_REGISTRY_KEY="$(cat "$work/client/registry.pub")" "$bin/dealreg" "$@"
}

# Sets registry_status and enforcement_status to the JSON lines of `dealreg status` from the client host.
read_status() {
    local out
    out=$(cli status --json --timeout 10 2> /dev/null)
    registry_status=$(grep '"service":"registry"' <<< "$out")
    enforcement_status=$(grep '"service":"enforcement"' <<< "$out")
}

# Polls `dealreg status` until CONDITION (a shell expression over registry_status / enforcement_status) holds.
await_status() {
    local seconds=$1 condition=$2
    local deadline=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        read_status
        if eval "$condition"; then return 0; fi
        sleep 0.5
    done
    return 1
}
workers_ready() { [ "$(field ready_workers "$registry_status")" = "$1" ]; }
enforcement_live() {
    [ "$(field live "$enforcement_status")" = true ] && [ "$(field behind "$enforcement_status")" = 0 ]
}

await_status 180 'workers_ready 2 && enforcement_live' \
    || die "the cluster did not get ready in 180 s: $registry_status $enforcement_status"
say "ready: $registry_status"
say "ready: $enforcement_status"

# The load. It first adds its partners load-1..N through the registry as the admin (one event each), keeping their
# keys on the client host.
read_status
seq_before=$(field last_seq "$registry_status")
[ -n "$seq_before" ] || die "no status from the registry: $registry_status"
if [ "$STORE" = postgres ]; then
    victim_text="the active registry's host is lost after $KILL_AFTER s"
else
    victim_text="check2 is killed after $KILL_AFTER s"
fi
say "load: $CONCURRENCY in flight for $DURATION s from the client host, as partners load-1..$PARTNERS" \
    "(added by the admin first); $victim_text"
load_started=$(date +%s%N)
# Its JSON summary is the last line of load.log (progress goes to stderr, the summary to stdout).
spawn "$logs/load.log" client env DEALREG_DATA="$work/client/data" DEALREG_REGISTRY="$registry_api" \
    DEALREG_REGISTRY_KEY="$(cat "$work/client/registry.pub")" "$bin/dealreg" load \
    --concurrency "$CONCURRENCY" --duration "$DURATION" --partners "$PARTNERS" --json
load_pid=$!

# Seconds since the load started, to a tenth.
elapsed() {
    local tenths=$((($(date +%s%N) - load_started) / 100000000))
    echo "$((tenths / 10)).$((tenths % 10))"
}

# The load prints "load: N s, ..." once a second.
load_seconds() { sed -n 's/^load: \([0-9]*\) s,.*/\1/p' "$logs/load.log" | tail -n 1; }
for _ in $(seq 1 1200); do
    kill -0 "$load_pid" 2> /dev/null || break
    [ "$(load_seconds)" -ge "$KILL_AFTER" ] 2> /dev/null && break
    sleep 0.1
done
kill -0 "$load_pid" 2> /dev/null || die "the load ended before the kill"

# Loopback, while every host has its connections open: every TCP socket of every host is on its 10.77.0.x address.
declare -A sockets
for host in "${hosts[@]}"; do sockets[$host]=$(on "$host" ss -Htan 2> /dev/null); done

# The registrations the run sends besides the load (the one timed after a registry host's loss).
probes=0
if [ "$STORE" = sqlite ]; then
    victim=${check_pid[check2]}
    in_namespace=$(ip netns pids "$(ns check2)" | xargs)
    kill_time=$(now)
    kill_at=$(elapsed)
    kill -KILL "$victim"
    wait "$victim" 2> /dev/null
    say "$kill_time  killed check2's worker (pid $victim, SIGKILL) $kill_at s into the load" \
        "(processes on check2 before: $in_namespace)"
    left=$(ip netns pids "$(ns check2)" | xargs)
    check "check2 host has no process left after the kill" "${left:-none}" [ -z "$left" ]

    if await_status 60 'workers_ready 1'; then
        noticed_time=$(now)
        say "$noticed_time  registry reports 1 ready worker ($(elapsed) s into the load)"
        check "registry noticed the lost worker" "1 ready worker at $noticed_time" true
        requeued=$(field requeued "$(grep '"worker lost"' "$logs/registry.log" | tail -n 1)")
        say "registry log: worker lost, the ${requeued:-?} checks it held put back in the queue"
    else
        check "registry noticed the lost worker" "still: $registry_status" false
    fi
    sleep 2
    restart_time=$(now)
    restart_at=$(elapsed)
    load_running_at_restart=$(kill -0 "$load_pid" 2> /dev/null && echo 1 || echo 0)
    start_check check2 svc-check-2
    say "$restart_time  started check2's worker again (pid ${check_pid[check2]}) $restart_at s into the load"
    check "check2 restarted while the load was still running" "$restart_at s of $DURATION s" \
        [ "$load_running_at_restart" = 1 ]
    if await_status 120 'workers_ready 2'; then
        say "$(now)  registry reports 2 ready workers again ($(elapsed) s into the load)"
    fi
else
    # The active registry's host is lost: its link down first, so that nothing it says (no FIN, no reset) reaches
    # PostgreSQL or a client, then every process on it killed, as when a host loses power.
    read_status
    lost=$(field instance "$(object active "$registry_status")")
    case $lost in
        registry) survivor=registry2 ;;
        registry2) survivor=registry ;;
        *) die "the registry's status names no active registry: $registry_status" ;;
    esac
    lost_epoch=$(field epoch "$(object active "$registry_status")")
    in_namespace=$(ip netns pids "$(ns "$lost")" | xargs)
    kill_time=$(now)
    kill_at=$(elapsed)
    kill_ms=$(date +%s%3N)
    ip -n "$(ns "$lost")" link set eth0 down
    for pid in $in_namespace; do kill -KILL "$pid" 2> /dev/null; done
    wait "${registry_pid_of[$lost]}" 2> /dev/null
    say "$kill_time  lost the active registry's host $lost (lease epoch $lost_epoch) $kill_at s into the load:" \
        "link down, then SIGKILL to every process on it ($in_namespace)"
    left=$(ip netns pids "$(ns "$lost")" | xargs)
    check "$lost host has no process left after the loss" "${left:-none}" [ -z "$left" ]
    # A registration sent just after the loss, timed: the command line resends it (same request_id) to every
    # registry of the group until one decides it.
    probe=$(cli register --as load-1 --json --customer "Failover Probe $run SAS" --country FR --city Lille \
        --postal-code 59000 --products storage --amount 1000 --currency EUR \
        --close-date "$(date -d '+120 days' +%F)" 2>&1)
    probe_ms=$(($(date +%s%3N) - kill_ms))
    probe_outcome=$(field outcome "$probe")
    case $probe_outcome in "" | DUPLICATE) ;; *) probes=1 ;; esac
    probe_id=$(field registration_id "$probe")
    took=$(grep 'registry active: holds' "$logs/$survivor.log" | tail -n 1)
    took_time=$(field time "$took")
    took_ms="?"
    [ -z "$took_time" ] || took_ms=$(($(date -d "$took_time" +%s%3N) - kill_ms))
    say "$(now)  $survivor took the lease (epoch $(field epoch "$took")) $took_ms ms after the loss, at" \
        "${took_time:-?} (from its log)"
    say "$(now)  a registration sent after the loss: ${probe_outcome:-no decision} ${probe_id:-($probe)}, decided" \
        "$probe_ms ms after the loss"
    check "a registration sent after the loss was decided" "${probe_outcome:-$probe}" [ -n "$probe_outcome" ]
    new_active() { [ "$(field instance "$(object active "$registry_status")")" = "$survivor" ]; }
    if await_status 60 new_active; then
        check "status names $survivor the active registry" \
            "$(object active "$registry_status" | tr -d '"')" true
    else
        check "status names $survivor the active registry" "$registry_status" false
    fi
fi

wait "$load_pid"
load_status=$?
say "$(now)  load finished (exit $load_status) $(elapsed) s after it started"
summary=$(grep '^{' "$logs/load.log" | tail -n 1)
echo "multihost: load summary: $summary"
# The registry's own figures for the run, then the load's without them.
# (Its object ends with decisions_per_commit; the keys after it vary.)
registry_figures=$(sed -n 's/.*"registry":\({.*"decisions_per_commit":[-+.0-9eE]*}\).*/\1/p' <<< "$summary")
summary=$(sed 's/"registry":{.*"decisions_per_commit":[-+.0-9eE]*},//' <<< "$summary")

# Checks.

sent=$(field sent "$summary")
answered=$(field answered "$summary")
unanswered=$(field unanswered "$summary")
errors=$(object errors "$summary")
outcomes=$(object outcomes "$summary")
outcome() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<< "$outcomes" | head -n 1; }
duplicates=$(outcome DUPLICATE)
decided=0
for name in APPROVED REJECTED PENDING_REVIEW DUPLICATE; do decided=$((decided + $(outcome "$name" || true) + 0)); done
all_answered() { [ "${sent:-0}" -gt 0 ] && [ "$answered" = "$sent" ] && [ "$unanswered" = 0 ]; }
check "load exited 0" "exit $load_status" [ "$load_status" = 0 ]
check "every registration answered" "sent ${sent:-?}, answered ${answered:-?}, unanswered ${unanswered:-?}" all_answered
check "no error answers (none is accepted)" "errors {$errors}" [ -z "$errors" ]
check "every answer a decision" "{$outcomes}" [ "$decided" = "${answered:-none}" ]

if await_status 120 'workers_ready 2'; then
    check "registry has 2 ready workers again" "$(field ready_workers "$registry_status") ready" true
else
    check "registry has 2 ready workers again" "$registry_status" false
fi
same_seq() { [ "$(field last_seq "$enforcement_status")" = "$(field last_seq "$registry_status")" ]; }
if await_status 120 'enforcement_live && same_seq'; then
    seqs="registry seq $(field last_seq "$registry_status"), enforcement seq $(field last_seq "$enforcement_status")"
    check "enforcement applied the whole event log" "$seqs" true
else
    check "enforcement applied the whole event log" "$registry_status $enforcement_status" false
fi

# A DUPLICATE answer records nothing; every other decision is one registration and one event, and each partner
# the load added one event. The exchange of signed heads with enforcement appends `witness` events and reads by the
# vendor's side `access` events (issue 18): counted from the feed, they are not decisions. (Read before the audit,
# which keeps a registry busy for a while.)
expected=$((${answered:-0} - ${duplicates:-0} + probes))
seq_after=$(field last_seq "$registry_status")
ledger_events=$(cli feed --as admin --after "$seq_before" --json 2>> "$logs/feed.log" | awk -F'"seq":' -v last="$seq_after" '
    /"kind":"(witness|access)"/ { split($2, number, ","); if (number[1] + 0 <= last) n++ } END { print n + 0 }')
appended=$((seq_after - seq_before - PARTNERS - ledger_events))
check "one event per non-duplicate decision" \
    "$appended events appended besides the partners and $ledger_events witness or access events, $expected decisions" \
    [ "$appended" = "$expected" ]

audit_begin=$(date +%s%N)
audit=$(cli audit verify --json 2>&1)
audit_status=$?
say "audit verify took $((($(date +%s%N) - audit_begin) / 1000000)) ms"
intact() { [ "$audit_status" = 0 ] && grep -q '"intact":true' <<< "$1"; }
for service in registry enforcement; do
    line=$(grep "\"service\":\"$service\"" <<< "$audit")
    check "$service ledger intact (audit verify)" "${line:-$audit}" intact "$line"
done

for host in "${hosts[@]}"; do
    loopback=$(grep -cE '127\.0\.0\.1|\[::1\]' <<< "${sockets[$host]}")
    # Connections out by the address and port they reach; connections in by the address they come from.
    peers=$(awk '$1 == "LISTEN" {listening[$4] = 1}
        $1 == "ESTAB" {print (($4 in listening) ? "from " substr($5, 1, index($5, ":") - 1) : "to " $5)}' \
        <<< "${sockets[$host]}" | sort | uniq -c | awk '{printf "%s%s %s x%d", (NR > 1 ? ", " : ""), $2, $3, $1}')
    listening=$(awk '$1 == "LISTEN" {print $4}' <<< "${sockets[$host]}" | sort -u | xargs)
    no_loopback() { [ "$loopback" = 0 ] && [ -n "$peers" ]; }
    check "$host had connections during the load, none on loopback" \
        "listening on ${listening:-nothing}; connections: ${peers:-none}" no_loopback
done

# Graceful stop, enforcement and workers before the registry, as `dealreg up` does.
stop_service() {
    local name=$1 pid=$2
    kill -TERM "$pid" 2> /dev/null
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    wait "$pid" 2> /dev/null
    local status=$?
    check "$name stops cleanly on SIGTERM" "exit $status" [ "$status" = 0 ]
}
stop_service enforcement "$enforce_pid"
stop_service "check1 worker" "${check_pid[check1]}"
if [ "$STORE" = postgres ]; then
    stop_service "check2 worker" "${check_pid[check2]}"
    stop_service "$survivor (active since the loss)" "${registry_pid_of[$survivor]}"
    stored=$(psql_db -d dealreg -c 'SELECT count(*) FROM registry.registrations' 2>&1)
    check "registry stored one registration per non-duplicate decision" \
        "$stored stored in PostgreSQL, $expected decisions" [ "$stored" = "$expected" ]
else
    stop_service "check2 worker (restarted)" "${check_pid[check2]}"
    stop_service registry "$registry_pid"

    if command -v sqlite3 > /dev/null; then
        stored=$(sqlite3 -readonly "$work/registry/data/registry.sqlite" 'SELECT count(*) FROM registrations' 2>&1)
        check "registry stored one registration per non-duplicate decision" "$stored stored, $expected decisions" \
            [ "$stored" = "$expected" ]
    else
        say "no sqlite3: the stored registrations were counted through the event log only"
    fi
fi

# Summary.

echo
echo "multihost summary ($(($(date +%s) - started)) s)"
if [ "$STORE" = postgres ]; then
    echo "  hosts        registry ${address[registry]}, registry2 ${address[registry2]}, db ${address[db]}," \
        "check1 ${address[check1]}, check2 ${address[check2]}, enforce ${address[enforce]}," \
        "client ${address[client]} (bridge in $bridge_ns)"
    echo "  store        $store_url (PostgreSQL on db), registries: ${registry_hosts[*]}"
    echo "  failover     $lost (active, epoch $lost_epoch) lost at $kill_time ($kill_at s into the load);" \
        "$survivor held the lease after $took_ms ms, decided a registration sent after the loss in $probe_ms ms" \
        "(${probe_outcome:-none} ${probe_id:-})"
else
    echo "  hosts        registry ${address[registry]}, check1 ${address[check1]}, check2 ${address[check2]}," \
        "enforce ${address[enforce]}, client ${address[client]} (bridge in $bridge_ns)"
    echo "  check2       killed (SIGKILL) at $kill_time ($kill_at s into the load) holding ${requeued:-?} checks," \
        "restarted at $restart_time ($restart_at s)"
fi
echo "  load         $(field mode "$summary"): sent ${sent:-?}, answered ${answered:-?}," \
    "unanswered ${unanswered:-?}, errors {${errors}}, resent $(field resent "$summary")"
echo "  outcomes     {$outcomes}"
echo "  latency      p50 $(field p50_ms "$summary") ms, p99 $(field p99_ms "$summary") ms," \
    "max $(field max_ms "$summary") ms"
wait_note="the checks the killed worker held waited until the registry noticed"
[ "$STORE" = sqlite ] || wait_note="since the takeover: the registry lost with its host took its figures along"
check_wait=$(sed -n 's/.*"check_wait":{\([^}]*\)}.*/\1/p' <<< "$registry_figures")
echo "  check wait   in the registry: p50 $(field p50_ms "$check_wait") ms, p99 $(field p99_ms "$check_wait") ms," \
    "max $(field max_ms "$check_wait") ms ($wait_note)"
if [ "$failures" = 0 ]; then
    echo "multihost: passed"
    exit 0
fi
echo "multihost: FAILED: $failures check(s)"
exit 1
