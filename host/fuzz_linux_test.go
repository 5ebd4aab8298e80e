package host_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// init keeps a fuzz worker's standard error when IISHOST_FUZZ_LOGS names a folder
// (scripts/fuzz.sh sets it). go test discards a worker's output, so a sanitizer report or a Go
// crash in a worker would otherwise leave only "fuzzing process hung or terminated
// unexpectedly", and an input that fails only after others cannot be replayed alone.
func init() {
	dir := os.Getenv("IISHOST_FUZZ_LOGS")
	if dir == "" || !slices.Contains(os.Args, "-test.fuzzworker") {
		return
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("worker-%d.log", os.Getpid())))
	if err != nil {
		return
	}
	_ = syscall.Dup3(int(f.Fd()), 2, 0) // C code (the sanitizers) writes to descriptor 2 directly
}
