#!/usr/bin/env bash
# build-module.sh SRC OUT [extra compiler flags...]
#
# Builds one module source into a shared library: the same as
#   iishost build -o OUT SRC -- [extra compiler flags...]
# which holds the logic (internal/modbuild; see `iishost build -h`). The command is built from
# this checkout into a temporary folder first, so paths stay relative to where this is run.
# Prints nothing on success but the compiler's warnings.
set -euo pipefail

[[ $# -ge 2 ]] || { echo "usage: build-module.sh SRC OUT [extra compiler flags...]" >&2; exit 1; }
src=$1
out=$2
shift 2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -C "$root" -o "$tmp/iishost" ./cmd/iishost
"$tmp/iishost" build -o "$out" "$src" -- "$@"
