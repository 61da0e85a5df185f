#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server (scripts/postgres.sh, installed from Debian when missing) and
# stops the server afterwards, whatever the command's outcome: how `make test` and the PostgreSQL benchmarks get a
# real server on a clean machine. The command sees DEALREG_TEST_POSTGRES (the server's folder: url, password,
# port) and DEALREG_POSTGRES_DIR (the same, for `scripts/postgres.sh database|restart`).
#   scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Directly in /tmp: as root the server runs as the postgres user, which must reach its folder.
dir=/tmp/dealreg-pg-$$
"$root/scripts/postgres.sh" start "$dir" >&2
trap '"$root/scripts/postgres.sh" stop "$dir"' EXIT
export DEALREG_TEST_POSTGRES=$dir DEALREG_POSTGRES_DIR=$dir
"$@"
