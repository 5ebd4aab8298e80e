//go:build unix

package winetest

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive (or shared) advisory lock on path, waiting for it; closing the
// returned file releases it.
func lockFile(path string, shared bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// tryExclusive turns a held lock into an exclusive one if nobody else holds it. On failure
// the lock may be lost (flock converts by unlocking first); the caller is letting go anyway.
func tryExclusive(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
