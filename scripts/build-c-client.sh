#!/usr/bin/env bash
# Builds the C client (clients/c): generates the wire contract's C code with protoc-c from proto/ into
# .build/c-client/dealreg/v1/, then compiles .build/c-client/dealreg-c-client with warnings as errors. Needs libzmq3-dev,
# libprotobuf-c-dev and protobuf-c-compiler (scripts/install-deps.sh). Prints the binary's path.
# Usage: scripts/build-c-client.sh [OUTPUT-DIRECTORY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/.build/c-client"}
mkdir -p "$out"
# Generated into a fresh folder and moved into place, so a build running at the same time never compiles a
# half-written file.
generated=$(mktemp -d "$out/generated.XXXXXX")
trap 'rm -rf "$generated"' EXIT
protoc-c -I "$root/proto" --c_out="$generated" "$root"/proto/dealreg/v1/*.proto
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 -I "$generated" -I "$root/clients/c" \
    -o "$generated/dealreg-c-client" \
    "$root/clients/c/dealreg-c-client.c" "$root/clients/c/cluster_address.c" "$root/clients/c/json_lookup.c" \
    "$generated"/dealreg/v1/*.pb-c.c -lprotobuf-c -lzmq -lm
rm -rf "$out/dealreg"
mv "$generated/dealreg" "$out/dealreg"
mv -f "$generated/dealreg-c-client" "$out/dealreg-c-client"
echo "$out/dealreg-c-client"
