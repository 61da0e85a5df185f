#!/usr/bin/env bash
# Installs the Debian packages dealreg builds and runs against, if any is missing. Idempotent; needs root or sudo.
set -euo pipefail
# Extra packages a command needs only for itself (a benchmark's valgrind) are named as arguments.
packages=(libzmq3-dev libsqlite3-dev libpq-dev libprotobuf-c-dev protobuf-c-compiler procps "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
