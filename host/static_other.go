//go:build !linux

package host

import (
	"os"
	"path/filepath"
)

// openedPath resolves the name f was opened by; without /proc a link swapped between the open
// and this call could mislead it.
func openedPath(f *os.File) (string, error) { return filepath.EvalSymlinks(f.Name()) }
