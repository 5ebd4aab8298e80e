//go:build unix

package host

import "syscall"

// writableDirectory asks the kernel whether this process may create files in dir.
func writableDirectory(dir string) error { return syscall.Access(dir, 0x2 /* W_OK */) }
