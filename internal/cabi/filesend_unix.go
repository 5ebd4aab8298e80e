//go:build !windows

package cabi

import (
	"os"
	"syscall"
)

// duplicateFile opens a second descriptor of a request's file (iis_file_range.fd), close-on-exec.
func duplicateFile(fd int32) (*os.File, error) {
	dup, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, 0)
	if errno != 0 {
		return nil, errno
	}
	return os.NewFile(dup, "response file"), nil
}
