//go:build !windows

package cabi

/*
int iis_crash_install(int fd);
*/
import "C"

import "fmt"

// InstallCrashReporter makes a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) on a
// thread running a module's notification write one line to fd, then end the process by that
// signal; a module's exit() inside a notification writes one too. The line is tab-separated:
// "signal" or "exit", the signal number (0 for exit), the module, the notification and the
// request's raw URL, each with bytes outside printable ASCII as %XX. Signals outside module calls
// go on to the Go runtime's handlers. It is for the command's worker processes: a process
// embedding the host keeps the Go runtime's handling. Call it once, after the runtime started.
func InstallCrashReporter(fd int) error {
	if r, err := C.iis_crash_install(C.int(fd)); r != 0 {
		return fmt.Errorf("installing the crash reporter: %v", err)
	}
	return nil
}
