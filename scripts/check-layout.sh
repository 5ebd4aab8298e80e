#!/usr/bin/env bash
# check-layout.sh - prove that include/'s struct declarations have the
# offsets, sizes and alignments that api/structs.tsv records (Windows x64).
#
# For every struct of http.h and httptrace.h (and of oaidl.h / wtypes.h once
# include/ has those headers) it generates compile-time assertions:
#   offsetof(S, field) == offset, sizeof(member) == size  for each field row,
#   sizeof(S) and alignof(S)                              from the (struct) row.
# Dotted rows (HTTP_DATA_CHUNK FromMemory.pBuffer) are checked as written;
# "(anonymous ...)" and "(base ...)" pseudo-rows have no name to check (their
# members have their own rows). The file is compiled as C11 and as C++11 with
# gcc/g++, and with clang/clang++ when installed. On failure it also prints
# the compiler's actual values next to the expected ones.
#
# On Linux WCHAR is 4 bytes, so a struct holding a WCHAR by value (not through
# a pointer) would legitimately differ there: for such a struct only the rows
# before the first WCHAR field are checked. Today no tabulated struct has one.
#
# Extra compiler flags (e.g. -I for a stand-in header) come from
# $CHECK_LAYOUT_FLAGS. Exit status: 0 all passed, 1 a mismatch or build error.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tsv=$root/api/structs.tsv
inc=$root/include
read -r -a extra <<<"${CHECK_LAYOUT_FLAGS:-}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Headers whose structs we can check now: ours always, the OLE ones once they exist.
headers="http.h httptrace.h"
for h in oaidl.h wtypes.h; do
  if [[ -f $inc/$h ]]; then
    headers="$headers $h"
  else
    echo "check-layout: include/$h not present yet; its structs are skipped" >&2
  fi
done

# One generator, two outputs: static assertions, and a program printing the
# compiler's values in the same "struct field offset size" shape as the table.
gen() { # $1 = assert | print
  awk -F'\t' -v mode="$1" -v headers="$headers" '
    BEGIN {
      n = split(headers, hs, " "); for (i = 1; i <= n; i++) want[hs[i]] = 1
    }
    NR == 1 { next }
    # Pass 1 (the whole file): which header declares each struct, and where
    # its first by-value WCHAR field is.
    FNR == NR {
      if ($2 == "(struct)" && match($6, /declared in [A-Za-z0-9_]+\.h/))
        hdr[$1] = substr($6, RSTART + 12, RLENGTH - 12)
      if ($3 ~ /^(WCHAR|OLECHAR|wchar_t)(\[[0-9]+\])?$/ && !($1 in wchar_at))
        wchar_at[$1] = $4 + 0
      next
    }
    FNR == 1 { next }
    {
      s = $1; f = $2
      if (!(hdr[s] in want)) next
      if (f ~ /^\((anonymous|base) /) next
      if (f == "(anonymous union)" || f == "(anonymous struct)") next
      if (s in wchar_at) {
        if (f == "(struct)" || $4 + 0 >= wchar_at[s]) next
      }
      if (f == "(struct)") {
        al = $6; sub(/.*alignof=/, "", al); sub(/[^0-9].*/, "", al)
        if (mode == "assert") {
          printf "CHECK(sizeof(%s) == %d, \"sizeof(%s) != %d\");\n", s, $5, s, $5
          printf "CHECK(ALIGNOF(%s) == %s, \"alignof(%s) != %s\");\n", s, al, s, al
        } else {
          printf "    P(\"%s\", \"(struct)\", 0, sizeof(%s));\n", s, s
        }
        next
      }
      m = "((" s " *)0)->" f
      if (mode == "assert") {
        printf "CHECK(offsetof(%s, %s) == %d, \"offsetof(%s, %s) != %d\");\n", s, f, $4, s, f, $4
        printf "CHECK(sizeof(%s) == %d, \"sizeof(%s.%s) != %d\");\n", m, $5, s, f, $5
      } else {
        printf "    P(\"%s\", \"%s\", offsetof(%s, %s), sizeof(%s));\n", s, f, s, f, m
      }
    }
  ' "$tsv" "$tsv"
}

includes() {
  echo '#include <stddef.h>'
  echo '#include <windows.h>'
  for h in $headers; do echo "#include <$h>"; done
}

{
  includes
  cat <<'EOF'
#ifdef __cplusplus
/* HTTP_REQUEST_V2/HTTP_RESPONSE_V2 derive from V1 as in the SDK, which makes
 * them non-standard-layout; offsetof on them is conditionally supported and
 * both gcc and clang support it for non-virtual single inheritance. */
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#define CHECK(e, m) static_assert(e, m)
#define ALIGNOF(t) alignof(t)
#else
#define CHECK(e, m) _Static_assert(e, m)
#define ALIGNOF(t) _Alignof(t)
#endif
EOF
  gen assert
} >"$tmp/layout.c"

checks=$(grep -c '^CHECK' "$tmp/layout.c")
if [[ $checks -eq 0 ]]; then
  echo "check-layout: no rows selected from $tsv" >&2
  exit 1
fi

compilers=("gcc -x c -std=c11" "g++ -x c++ -std=c++11")
command -v clang >/dev/null && compilers+=("clang -x c -std=c11")
command -v clang++ >/dev/null && compilers+=("clang++ -x c++ -std=c++11")

failed=0
for cc in "${compilers[@]}"; do
  # shellcheck disable=SC2086 # $cc is a compiler plus its flags
  if $cc -fsyntax-only -Wall -Wextra -Werror -I "$inc" "${extra[@]}" "$tmp/layout.c" \
      2>"$tmp/err"; then
    echo "check-layout: $cc: $checks assertions passed"
  else
    echo "check-layout: $cc: FAILED" >&2
    grep -E "error" "$tmp/err" | head -50 >&2
    failed=1
  fi
done

if [[ $failed -ne 0 ]]; then
  # Show the actual values where they differ (C build, so no inheritance caveats).
  {
    includes
    echo '#include <stdio.h>'
    echo '#define P(s, f, o, z) printf("%s\t%s\t%zu\t%zu\n", s, f, (size_t)(o), (size_t)(z))'
    echo 'int main(void) {'
    gen print
    echo '    return 0;'
    echo '}'
  } >"$tmp/print.c"
  if gcc -std=c11 -w -I "$inc" "${extra[@]}" "$tmp/print.c" -o "$tmp/print" 2>/dev/null; then
    "$tmp/print" >"$tmp/actual"
    echo "check-layout: mismatches (struct field: expected offset/size, actual offset/size):" >&2
    awk -F'\t' 'FNR == NR { got[$1 FS $2] = $3 "/" $4; next }
      ($1 FS $2) in got {
        want = ($2 == "(struct)" ? 0 : $4) "/" $5
        if (got[$1 FS $2] != want) printf "  %s %s: %s, %s\n", $1, $2, want, got[$1 FS $2]
      }' "$tmp/actual" "$tsv" >&2
  fi
  exit 1
fi
