#!/usr/bin/env bash
# The wire contract must stay usable from C (the ceiling benchmark, the C client): generate it with protoc-c and
# compile every file. A name that is a C keyword (an rpc called `Case`, say) fails here rather than in a bench run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
protoc-c -I "$root/proto" --c_out="$out" "$root"/proto/dealreg/v1/*.proto
for file in "$out"/dealreg/v1/*.pb-c.c; do
    cc -c -Wall -Werror -I "$out" -o "$out/$(basename "$file" .c).o" "$file"
done
echo "protobuf-c: $(ls "$out"/dealreg/v1/*.pb-c.c | wc -l) files of the contract compile as C"
