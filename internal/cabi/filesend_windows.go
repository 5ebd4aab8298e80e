package cabi

import (
	"os"
	"syscall"
)

// duplicateFile opens a second handle of a request's file: iis_file_range.fd carries a Win32
// handle, sign-extended from 32 bits as Windows allows (host_files.h).
func duplicateFile(fd int32) (*os.File, error) {
	process, err := syscall.GetCurrentProcess()
	if err != nil {
		return nil, err
	}
	var dup syscall.Handle
	if err := syscall.DuplicateHandle(process, syscall.Handle(int64(fd)), process, &dup, 0, false, syscall.DUPLICATE_SAME_ACCESS); err != nil {
		return nil, os.NewSyscallError("DuplicateHandle", err)
	}
	return os.NewFile(uintptr(dup), "response file"), nil
}
