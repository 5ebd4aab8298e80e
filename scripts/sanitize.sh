#!/usr/bin/env bash
# Runs the suite with cabi and every module built with AddressSanitizer and UBSan; leaks and
# undefined behaviour fail the run. Extra arguments go to go test.
#
# UBSan's vptr check is off: it reads the RTTI before a vtable, and C modules (lpVtbl structs)
# and host-built vtables have none, so every call into a C module would be reported.
#
# LeakSanitizer's tracer crash at exit ("Tracer caught signal 11") came from the runtime's
# dynamic TLS tracking, which internal/cabi/platform/asan_options.c turns off; any LeakSanitizer failure fails
# the run.
set -euo pipefail
cd "$(dirname "$0")/.."

san="-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer"
export CGO_CXXFLAGS="-g -O1 $san"
export CGO_LDFLAGS="-fsanitize=address,undefined"
export IISHOST_MODULE_CFLAGS="$san"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

exec go test -asan -count=1 "$@" ./...
