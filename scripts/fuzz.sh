#!/usr/bin/env bash
# Fuzzes each target in turn with cabi and every module built with AddressSanitizer and UBSan,
# using the very flags scripts/sanitize.sh sets (read from it, so the two cannot drift).
#
#   scripts/fuzz.sh [DURATION] [TARGET...]
#
# DURATION is go test's -fuzztime for each target (default 2m; "30s", "5m" or "10000x").
# TARGETs default to all of them. FUZZ_PARALLEL sets the fuzzing workers per target (default
# 1: each worker builds and serves its own host, and the machine is shared).
#
# The "execs" count go test prints can stand still for minutes while fuzzing goes on: a worker
# reports its executions only when it returns to the coordinator, which here it mostly does on
# finding new coverage. A count such as "20000x" as DURATION runs and reports an exact number.
#
# A failing input is written by go test to <package>/testdata/fuzz/<Target>/; keep it there
# once the bug is fixed, so the normal test run replays it. Exits non-zero if any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."

eval "$(grep -E '^(san=|export (CGO_CXXFLAGS|CGO_LDFLAGS|IISHOST_MODULE_CFLAGS|UBSAN_OPTIONS)=)' scripts/sanitize.sh)"
if [ -z "${CGO_CXXFLAGS:-}" ] || [ -z "${IISHOST_MODULE_CFLAGS:-}" ]; then
  echo "fuzz.sh: no sanitizer flags found in scripts/sanitize.sh" >&2
  exit 2
fi

# name and package of every fuzz target
declare -A packages=(
  [FuzzRawRequest]=./host
  [FuzzModuleAPI]=./host
  [FuzzConfig]=./host
)

duration=${1:-2m}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(FuzzRawRequest FuzzModuleAPI FuzzConfig)
fi

# Workers' standard error (sanitizer reports, Go crashes), which go test would discard; see
# host/fuzz_linux_test.go. Kept after the run; the failures' logs are printed below.
logs=$(mktemp -d "${TMPDIR:-/tmp}/iishost-fuzz-XXXXXX")

failed=()
for target in "${targets[@]}"; do
  pkg=${packages[$target]:-}
  if [ -z "$pkg" ]; then
    echo "fuzz.sh: unknown target $target (known: ${!packages[*]})" >&2
    exit 2
  fi
  echo "fuzz.sh: $target in $pkg for $duration"
  export IISHOST_FUZZ_LOGS=$logs/$target
  mkdir -p "$IISHOST_FUZZ_LOGS"
  if ! go test -asan -run '^$' -fuzz "^${target}\$" -fuzztime "$duration" -parallel "${FUZZ_PARALLEL:-1}" "$pkg"; then
    failed+=("$target")
    for log in $(grep -lE 'ERROR: AddressSanitizer|runtime error:|^panic:|^fatal error:|^SIG' "$IISHOST_FUZZ_LOGS"/*.log 2>/dev/null); do
      echo "fuzz.sh: $log:"
      tail -n 60 "$log"
    done
  fi
done
echo "fuzz.sh: worker logs in $logs"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}"
  exit 1
fi
