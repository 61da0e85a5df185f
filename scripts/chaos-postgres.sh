#!/usr/bin/env bash
# A chaos run on PostgreSQL with a failover group (issue 19), beside the server scripts/with-postgres.sh started:
# a fresh database, two registries, kills of the active registry, freezes of it, restarts of the PostgreSQL server,
# and the kills of workers and enforcement a chaos run always deals; every guarantee checked in the schemas.
#   scripts/with-postgres.sh scripts/chaos-postgres.sh REGISTRATIONS KILLS [debug|release] [CHAOS OPTIONS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
registrations=${1:?registrations}
kills=${2:?kills}
mode=${3:-debug}
shift $(($# < 3 ? $# : 3))
dir=${DEALREG_POSTGRES_DIR:?run under scripts/with-postgres.sh}
url=$("$root/scripts/postgres.sh" database "$dir" "chaos_$$")
# The password goes in the environment, never on a command line.
password=$(cat "$dir/password")
DEALREG_STORE_PASSWORD=$password exec "$root/.build/$mode/dealreg" chaos \
    --store "${url/:$password@/@}" --registries 2 --registrations "$registrations" --kills "$kills" \
    --postgres-restart "$root/scripts/postgres.sh restart $dir" "$@"
