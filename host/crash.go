package host

import "github.com/iishost/iishost/internal/cabi"

// InstallCrashReporter makes a fatal signal in a module's call write one line naming the
// module, the notification and the URL to fd before the process ends.
// For the command's worker processes: a program embedding the host keeps the Go runtime's
// handling.
func InstallCrashReporter(fd int) error { return cabi.InstallCrashReporter(fd) }
