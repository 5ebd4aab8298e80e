#!/usr/bin/env bash
# build-msvc-module.sh OUT.dll SRC... [-- extra compiler flags...]
#
# Builds module sources into a Windows .dll laid out by the MSVC C++ ABI, as a Visual C++ build
# would lay it out: clang --target=x86_64-pc-windows-msvc and lld-link, against include/ and
# MinGW-w64's Windows headers and import libraries. The logic is internal/msvcmod's.
set -euo pipefail

[[ $# -ge 2 ]] || { echo "usage: build-msvc-module.sh OUT.dll SRC... [-- extra compiler flags...]" >&2; exit 1; }
out=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -C "$root" -o "$tmp/msvcbuild" ./internal/msvcmod/msvcbuild
"$tmp/msvcbuild" -o "$out" "$@"
