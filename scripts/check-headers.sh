#!/usr/bin/env bash
# check-headers.sh - prove that include/ compiles the way IIS module sources
# use it, with every compiler and language standard we support.
#
# 1. Every testdata/headers/*.c is compiled with gcc and clang at -std=c99
#    and -std=c11; every testdata/headers/*.cpp with g++ and clang++ at
#    -std=c++11, c++14, c++17 and c++20. All with -Wall -Wextra -Werror, so a
#    warning in a header is a failure. The sources hold static assertions
#    for widths, layouts and values (checks.h), code written the way Windows
#    sources use the headers (usage.h), and include-order combinations
#    (system socket headers first, every standard header after).
# 2. Every include/*.h is compiled alone (C and C++): it includes what it needs.
# 3. testdata/headers/runtime/ is linked into a program and run (a GUID
#    defined in two translation units is one object; address views read what
#    Linux wrote), and into a shared library whose dynamic symbols must not
#    include that GUID (DEFINE_GUID's definitions are hidden).
#
# clang/clang++ are skipped with a note when not installed, unless
# CHECK_HEADERS_REQUIRE_CLANG=1. Extra compiler flags come from
# $CHECK_HEADERS_FLAGS. Prints failures and a summary; exit status 0 when
# everything passed, 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
inc=$root/include
src=$root/testdata/headers
read -r -a extra <<<"${CHECK_HEADERS_FLAGS:-}"
warn=(-Wall -Wextra -Werror)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

c_compilers=(gcc)
cxx_compilers=(g++)
for pair in "clang clang++"; do
  read -r cc cxx <<<"$pair"
  if command -v "$cc" >/dev/null && command -v "$cxx" >/dev/null; then
    c_compilers+=("$cc")
    cxx_compilers+=("$cxx")
  elif [[ ${CHECK_HEADERS_REQUIRE_CLANG:-0} == 1 ]]; then
    echo "check-headers: $cc/$cxx not installed (CHECK_HEADERS_REQUIRE_CLANG=1)" >&2
    exit 1
  else
    echo "check-headers: $cc/$cxx not installed; checking with gcc/g++ only" >&2
  fi
done
c_stds=(c99 c11)
cxx_stds=(c++11 c++14 c++17 c++20)

passed=0
failed=0

# compile NAME COMMAND...: run a compiler command, report its output on failure.
compile() {
  local name=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "check-headers: FAILED: $name" >&2
    echo "  $*" >&2
    head -40 "$tmp/out" | sed 's/^/  /' >&2
  fi
}

shopt -s nullglob
for file in "$src"/*.c; do
  for cc in "${c_compilers[@]}"; do
    for std in "${c_stds[@]}"; do
      compile "$(basename "$file") $cc -std=$std" \
        "$cc" -std="$std" -fsyntax-only "${warn[@]}" -I "$inc" ${extra[@]+"${extra[@]}"} "$file"
    done
  done
done
for file in "$src"/*.cpp; do
  for cxx in "${cxx_compilers[@]}"; do
    for std in "${cxx_stds[@]}"; do
      compile "$(basename "$file") $cxx -std=$std" \
        "$cxx" -std="$std" -fsyntax-only "${warn[@]}" -I "$inc" ${extra[@]+"${extra[@]}"} "$file"
    done
  done
done

# Every public header on its own: it must include what it needs.
for header in "$inc"/*.h; do
  name=$(basename "$header")
  echo "#include <$name>" >"$tmp/alone.c"
  cp "$tmp/alone.c" "$tmp/alone.cpp"
  for cc in "${c_compilers[@]}"; do
    compile "$name alone, $cc -std=c99" \
      "$cc" -std=c99 -fsyntax-only "${warn[@]}" -I "$inc" ${extra[@]+"${extra[@]}"} "$tmp/alone.c"
  done
  for cxx in "${cxx_compilers[@]}"; do
    compile "$name alone, $cxx -std=c++11" \
      "$cxx" -std=c++11 -fsyntax-only "${warn[@]}" -I "$inc" ${extra[@]+"${extra[@]}"} "$tmp/alone.cpp"
  done
done

# Runtime checks, once per C/C++ compiler pair (gcc+g++, clang+clang++).
# runtime CC CXX OUTDIR: build and run the program, then build the library
# and look at its dynamic symbols; stops at the first failing step.
runtime() {
  local cc=$1 cxx=$2 out=$3 rt=$src/runtime
  local flags=("${warn[@]}" -I "$inc" ${extra[@]+"${extra[@]}"})
  "$cc" -std=c11 "${flags[@]}" -c "$rt/guid_c.c" -o "$out/guid_c.o" &&
    "$cc" -std=c99 "${flags[@]}" -c "$rt/main.c" -o "$out/main.o" &&
    "$cxx" -std=c++11 "${flags[@]}" -c "$rt/guid_cpp.cpp" -o "$out/guid_cpp.o" &&
    "$cxx" "$out/main.o" "$out/guid_c.o" "$out/guid_cpp.o" -o "$out/runtime" &&
    "$out/runtime" &&
    "$cc" -std=c11 -fPIC -fvisibility=hidden "${flags[@]}" -c "$rt/guid_c.c" -o "$out/lib_c.o" &&
    "$cxx" -std=c++11 -fPIC -fvisibility=hidden "${flags[@]}" -c "$rt/guid_cpp.cpp" -o "$out/lib_cpp.o" &&
    "$cxx" -shared "$out/lib_c.o" "$out/lib_cpp.o" -o "$out/libguid.so" || return 1
  # As a module is built: DEFINE_GUID's GUID must stay out of the dynamic symbol table.
  if command -v nm >/dev/null && nm -D --defined-only "$out/libguid.so" | grep IID_IIishostRuntimeCheck; then
    echo "DEFINE_GUID's GUID is exported from the shared library"
    return 1
  fi
}
for i in "${!c_compilers[@]}"; do
  mkdir -p "$tmp/rt$i"
  compile "runtime/ with ${c_compilers[$i]}/${cxx_compilers[$i]}" \
    runtime "${c_compilers[$i]}" "${cxx_compilers[$i]}" "$tmp/rt$i"
done

echo "check-headers: $passed checks passed, $failed failed (${c_compilers[*]} ${cxx_compilers[*]})"
[[ $failed -eq 0 ]]
