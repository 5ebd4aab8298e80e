package cabi

import "errors"

// ErrNoCrashReporter is InstallCrashReporter's answer on Windows: the reporter runs in POSIX
// signal handlers, and its Windows form (a vectored exception handler) is not written yet.
var ErrNoCrashReporter = errors.New("the crash reporter is not available on Windows: it is built on POSIX signals")

// InstallCrashReporter reports ErrNoCrashReporter on Windows; see crash_unix.go for what it
// does elsewhere.
func InstallCrashReporter(fd int) error { return ErrNoCrashReporter }
