#!/usr/bin/env bash
# bench-rebuild.sh - time `go build ./cmd/iishost` in this tree against another (e.g. a checkout
# of main), alternating the two, ROUNDS rounds (default 3), each with a fresh GOCACHE:
#   cold    the first build (standard library, every package, the bridge's C++)
#   cpp     the rebuild after a comment is appended to http_response.cpp
#   header  the rebuild after a comment is appended to http_response.h
# The probe files are found by name, wherever each tree keeps them, and restored after. Prints
# one "round tree kind seconds" row per build, then each kind's per-round ratio (this tree /
# the other) and their median. Timings on a shared machine are noisy: read the ratios.
#
#   scripts/bench-rebuild.sh /path/to/other/tree
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
other=$(cd "${1:?usage: bench-rebuild.sh OTHER_TREE}" && pwd)
rounds=${ROUNDS:-3}
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

probe() { # tree name -> the one file of that name under internal/cabi
  local found
  found=$(find "$1/internal/cabi" -name "$2")
  [[ $(wc -l <<<"$found") == 1 && -n $found ]] || { echo "bench-rebuild: want one $2 in $1, found: $found" >&2; exit 1; }
  echo "$found"
}

build() { # tree -> seconds
  local start
  start=$(date +%s.%N)
  (cd "$1" && go build -o "$GOCACHE/iishost" ./cmd/iishost)
  echo "$(date +%s.%N) - $start" | bc
}

# edited tree file round -> seconds to rebuild with a comment appended to file, restored after
edited() {
  local secs
  cp "$2" "$2.bench-orig"
  echo "// bench-rebuild probe $3" >>"$2"
  secs=$(build "$1")
  mv "$2.bench-orig" "$2"
  echo "$secs"
}

round() { # tree label round
  local cold cpp header
  GOCACHE=$(mktemp -d) && export GOCACHE
  cold=$(build "$1")
  cpp=$(edited "$1" "$(probe "$1" http_response.cpp)" "$3")
  build "$1" >/dev/null
  header=$(edited "$1" "$(probe "$1" http_response.h)" "$3")
  printf '%s\t%s\t%s\t%s\n' "$3" "$2" cold "$cold" "$3" "$2" cpp "$cpp" "$3" "$2" header "$header" | tee -a "$rows"
  rm -rf "$GOCACHE"
}

for r in $(seq 1 "$rounds"); do
  if ((r % 2)); then round "$other" other "$r"; round "$here" this "$r"
  else round "$here" this "$r"; round "$other" other "$r"; fi
done

# Each kind's ratios in ascending order, then the median of them.
awk -F'\t' '{ t[$3 " " $1 " " $2] = $4; kr[$3 " " $1] = 1 }
  END { for (x in kr) printf "%s %.3f\n", x, t[x " this"] / t[x " other"] }' "$rows" |
  sort -k1,1 -k3,3n |
  awk '{ v[$1] = v[$1] " " $3; n[$1]++; r[$1, n[$1]] = $3 }
    END { for (k in n) { m = n[k]; med = m % 2 ? r[k, (m + 1) / 2] : (r[k, m / 2] + r[k, m / 2 + 1]) / 2
      printf "%s: this/other per round, ascending%s; median %.3f\n", k, v[k], med } }'
