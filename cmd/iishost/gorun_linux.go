// The go-build folder's birth time comes from statx, which only Linux has.

//go:build linux

package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// A go run build shorter than this reused the build cache (a link takes a few seconds, more on a
// busy machine), so there is nothing worth reporting.
const goRunReportAfter = 15 * time.Second

// goRunBuild says how long `go run` took to build this binary, when it did: go run links the
// program into WORK/b001/exe/NAME, where WORK is the go-build folder made when the build began,
// so the folder's birth time and the program's modification time bound the build. The command
// cannot print while go run builds it (main has not started), so it says afterwards what the
// wait was. ok is false when the program was not built by go run, or the file system keeps no
// birth time.
func goRunBuild(exe string) (took time.Duration, ok bool) {
	exeDir := filepath.Dir(exe)
	actionDir := filepath.Dir(exeDir)
	work := filepath.Dir(actionDir)
	if filepath.Base(exeDir) != "exe" || filepath.Base(actionDir) != "b001" ||
		!strings.HasPrefix(filepath.Base(work), "go-build") {
		return 0, false
	}
	var dir unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, work, 0, unix.STATX_BTIME, &dir); err != nil || dir.Mask&unix.STATX_BTIME == 0 {
		return 0, false
	}
	info, err := os.Stat(exe)
	if err != nil {
		return 0, false
	}
	began := time.Unix(dir.Btime.Sec, int64(dir.Btime.Nsec))
	return info.ModTime().Sub(began), true
}

// reportGoRunBuild logs how long go run built for, when it compiled more than a link's worth.
func reportGoRunBuild(logger *slog.Logger) {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	if took, ok := goRunBuild(exe); ok && took >= goRunReportAfter {
		logger.Info("go run built iishost before it started: a first build compiles the standard library and the "+
			"C++ bridge (internal/cabi's packages); later runs recompile only the C++ packages whose files or "+
			"headers changed, and go run -v lists packages as they build",
			"took", took.Round(100*time.Millisecond).String())
	}
}
