package main

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// ignoreHangups keeps SIGHUP from ending a single process (-workers 0), logging each one, until
// stop is called. The configuration is not read again: IIS calls a module's RegisterModule once
// per process, and an image loaded here stays loaded with its static state, so a second server
// in the same process would register the modules again over state the first one's
// GL_APPLICATION_STOP and Terminate are still tearing down. Workers reload safely, each in a
// fresh process.
func ignoreHangups(logger *slog.Logger) (stop func()) {
	hups := make(chan os.Signal, 1)
	signal.Notify(hups, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-hups:
				logger.Warn("SIGHUP ignored: reloading the configuration needs worker processes (-workers 1 or more); restart this one to apply changes")
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(hups)
		close(done)
	}
}
