#!/usr/bin/env bash
# Regenerates Sources/DealWire/Generated from proto/ with protoc-gen-swift of the swift-protobuf version Package.swift
# resolves: the package's own dependency builds the plugin (about 40 s on top of a debug build, where a fresh clone
# of swift-protobuf took minutes). The output is committed. PLUGIN=path uses another plugin binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v protoc >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler; }
plugin=${PLUGIN:-}
if [ -z "$plugin" ]; then
    (cd "$root" && swift build --product protoc-gen-swift >/dev/null)
    plugin="$root/.build/debug/protoc-gen-swift"
fi
out="$root/Sources/DealWire/Generated"
rm -f "$out"/*.pb.swift
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" -I "$root/proto" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
    --swift_out="$out" "$root"/proto/dealreg/v1/*.proto
echo "generated $(ls "$out" | wc -l) files in $out"
