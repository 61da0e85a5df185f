#!/usr/bin/env bash
# Builds the two peer programs of bench/peers once, for scripts/bench-hotpath.sh: the C ceiling (libzmq and
# protobuf-c, no CURVE: the least work any registration needs) and the gRPC-swift peer (a unary RPC with an empty
# handler and the same message sizes). The gRPC peer builds into the ignored scratch folder .build-grpc-peer (about
# 5 minutes on 2 cores the first time; nothing afterwards). Prints the two binaries' directories.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers="$root/bench/peers"
out="$root/.build-grpc-peer"
mkdir -p "$out/c-ceiling"
if [ ! -x "$out/c-ceiling/ceiling" ] || [ "$peers/c-ceiling/ceiling.c" -nt "$out/c-ceiling/ceiling" ]; then
    cc -O2 -o "$out/c-ceiling/ceiling" "$peers/c-ceiling/ceiling.c" "$peers/c-ceiling/deal.pb-c.c" \
        -I "$peers/c-ceiling" -lzmq -lprotobuf-c -lpthread >&2
fi
for product in grpc-bench-server grpc-bench-client; do
    swift build -c release --package-path "$peers/grpc-swift" --scratch-path "$out" --product "$product" >&2
done
echo "$out/c-ceiling $out/release"
