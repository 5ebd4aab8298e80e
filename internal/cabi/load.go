package cabi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Reasons a module image fails to load; host re-exports them for errors.Is.
var (
	ErrNoImage          = errors.New("no such file")
	ErrNotSharedLibrary = errors.New("not a shared library")
	ErrWrongArch        = errors.New("wrong architecture")
	ErrNoEntryPoint     = errors.New("does not export RegisterModule")
	ErrDllMain          = errors.New("DllMain failed")
)

// Image is a module's library once opened: its RegisterModule and, when the module has one,
// the address of its iishost_services variable (0 otherwise).
type Image struct {
	RegisterModule uintptr
	Services       uintptr
	library        uintptr
}

// OpenImage checks and opens a module's shared library and finds its entry points. The checks
// (load_unix.go, load_windows.go) read the file's headers first, so that the common mistakes get
// a plain answer instead of the system loader's message.
func OpenImage(path string) (*Image, error) {
	f, size, err := openImageFile(path)
	if err != nil {
		return nil, err
	}
	err = checkImage(f, size)
	f.Close()
	if err != nil {
		return nil, err
	}
	return openLibrary(path)
}

// openImageFile opens a module's file for the header checks, with the answers shared by every
// platform: no such file, a directory.
func openImageFile(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, ErrNoImage
	}
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if info.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("%w: it is a directory", ErrNotSharedLibrary)
	}
	return f, info.Size(), nil
}
