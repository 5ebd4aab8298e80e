#!/usr/bin/env bash
# build-module.sh SRC OUT [extra compiler flags...]
#
# Builds one IIS native module source into a shared library against this
# repo's include/. C++ (.cpp .cc .cxx) uses ${CXX:-g++}, C (.c) uses ${CC:-gcc}.
# Extra flags come from $IISHOST_MODULE_CFLAGS (e.g. sanitizers) and from any
# arguments after OUT. Prints nothing on success.
set -euo pipefail

die() { echo "build-module.sh: $*" >&2; exit 1; }

[[ $# -ge 2 ]] || die "usage: build-module.sh SRC OUT [extra compiler flags...]"
src=$1
out=$2
shift 2

[[ -f $src ]] || die "source file not found: $src"

# The repo root is the parent of this script's folder, wherever we are called from.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

common=(-shared -fPIC -fvisibility=hidden -O2 -Wall -Wextra -I "$root/include")

# Word-split the env flags on purpose: they are a flag list, like CFLAGS.
# CC and CXX are split the same way, so "ccache g++" works as in make.
read -r -a envflags <<<"${IISHOST_MODULE_CFLAGS:-}"

case $src in
  *.cpp|*.cc|*.cxx)
    std=${IISHOST_CXX_STD:-}
    if [[ -z $std ]]; then
      std=c++17
      # Dynamic exception specifications (`void f() throw(...)`) were removed in
      # C++17; legacy IIS modules still carry them, so fall back to gnu++14.
      if grep -q ') *throw *(' "$src"; then
        std=gnu++14
      fi
    fi
    read -r -a compiler <<<"${CXX:-g++}"
    stdflag=-std=$std
    ;;
  *.c)
    read -r -a compiler <<<"${CC:-gcc}"
    stdflag=-std=c11
    ;;
  *)
    die "unknown source extension for $src (expected .c, .cpp, .cc or .cxx)"
    ;;
esac

# Trailing args go after SRC so that libraries (-lfoo) link correctly.
# ${arr[@]+...} keeps `set -u` happy on older bash when an array is empty.
exec "${compiler[@]}" "$stdflag" "${common[@]}" ${envflags[@]+"${envflags[@]}"} -o "$out" "$src" "$@"
