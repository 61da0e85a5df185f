#!/usr/bin/env bash
# Regenerates Sources/DealWire/Generated from proto/ with protoc-gen-swift 1.39.0 (the version Package.swift pins).
# Building the plugin takes minutes, so it is built once into $PLUGIN_DIR and the output is committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
plugin_dir=${PLUGIN_DIR:-/tmp/dealreg-protoc-gen-swift}
plugin="$plugin_dir/src/.build/release/protoc-gen-swift"
command -v protoc >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler; }
if [ ! -x "$plugin" ]; then
    mkdir -p "$plugin_dir"
    [ -d "$plugin_dir/src" ] || git clone -q https://github.com/apple/swift-protobuf.git "$plugin_dir/src"
    git -C "$plugin_dir/src" checkout -q 1.39.0
    (cd "$plugin_dir/src" && swift build -c release --product protoc-gen-swift)
fi
out="$root/Sources/DealWire/Generated"
rm -f "$out"/*.pb.swift
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" -I "$root/proto" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
    --swift_out="$out" "$root"/proto/dealreg/v1/*.proto
echo "generated $(ls "$out" | wc -l) files in $out"
