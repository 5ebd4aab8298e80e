//go:build windows

package cabi

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// checkImage wants a PE DLL for this host's machine that exports RegisterModule (pe_check.go).
func checkImage(file *os.File, size int64) error {
	img, err := openPE(file, size)
	if err != nil {
		return err
	}
	return img.check(runtime.GOARCH)
}

var (
	kernel32           = syscall.NewLazyDLL("kernel32.dll")
	procLoadLibraryExW = kernel32.NewProc("LoadLibraryExW")
	procSearchPathW    = kernel32.NewProc("SearchPathW")
)

// loadWithAlteredSearchPath makes LoadLibraryExW look for the module's own dependent DLLs in
// the module's directory first, as IIS modules shipped with their DLLs expect.
const loadWithAlteredSearchPath = 0x00000008

// Loader errors from GetLastError that have a plainer answer than the system message.
const (
	errorModNotFound   syscall.Errno = 126  // ERROR_MOD_NOT_FOUND
	errorProcNotFound  syscall.Errno = 127  // ERROR_PROC_NOT_FOUND
	errorBadExeFormat  syscall.Errno = 193  // ERROR_BAD_EXE_FORMAT
	errorDllInitFailed syscall.Errno = 1114 // ERROR_DLL_INIT_FAILED
)

// openLibrary loads the module with LoadLibraryExW; the loader runs its DllMain. The library
// stays loaded for the life of the process, as on Linux.
func openLibrary(path string) (*Image, error) {
	// LOAD_WITH_ALTERED_SEARCH_PATH searches the directory of an absolute path only.
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	name, err := syscall.UTF16PtrFromString(abs)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoImage, err)
	}
	lib, _, callErr := procLoadLibraryExW.Call(uintptr(unsafe.Pointer(name)), 0, loadWithAlteredSearchPath)
	if lib == 0 {
		return nil, loadLibraryError(abs, callErr)
	}
	entry, err := syscall.GetProcAddress(syscall.Handle(lib), "RegisterModule")
	if err != nil {
		return nil, ErrNoEntryPoint
	}
	return &Image{RegisterModule: entry, library: lib}, nil
}

// loadLibraryError explains LoadLibraryExW's GetLastError.
func loadLibraryError(path string, callErr error) error {
	var code syscall.Errno
	if !errors.As(callErr, &code) {
		return fmt.Errorf("LoadLibrary: %v", callErr)
	}
	switch code {
	case errorModNotFound:
		return fmt.Errorf("LoadLibrary: a DLL it depends on was not found (error 126)%s", missingDependencies(path))
	case errorProcNotFound:
		return fmt.Errorf("LoadLibrary: a DLL it depends on lacks a function it imports (error 127); it imports %s",
			strings.Join(importsOf(path), ", "))
	case errorDllInitFailed:
		return fmt.Errorf("%w: DllMain returned FALSE for DLL_PROCESS_ATTACH, in the module or a DLL it loads (LoadLibrary error 1114)", ErrDllMain)
	case errorBadExeFormat:
		return fmt.Errorf("%w: Windows refused the image as invalid (LoadLibrary error 193)", ErrNotSharedLibrary)
	}
	return fmt.Errorf("LoadLibrary: %v (error %d)", code, uint32(code))
}

// importsOf lists the DLLs the module imports; nil when its headers cannot tell.
func importsOf(path string) []string {
	f, size, err := openImageFile(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	img, err := openPE(f, size)
	if err != nil {
		return nil
	}
	libs, _ := img.importedDLLs()
	return libs
}

// missingDependencies says which DLLs the module imports are missing, or, when each is found,
// that one of them lacks a DLL of its own.
func missingDependencies(path string) string {
	libs := importsOf(path)
	var missing []string
	for _, lib := range libs {
		if !dllFound(filepath.Dir(path), lib) {
			missing = append(missing, lib)
		}
	}
	if len(missing) > 0 {
		return ": " + strings.Join(missing, ", ") + " is neither beside it nor on the DLL search path"
	}
	if len(libs) > 0 {
		return "; it imports " + strings.Join(libs, ", ") + ", all found, so one of them lacks a DLL it needs"
	}
	return ""
}

// dllFound looks for an imported DLL where LoadLibraryExW with the altered search path does:
// the module's directory, then the system's search path. API set names (api-ms-win-*) are
// resolved by the loader, not found as files, so they count as found.
func dllFound(dir, name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "api-ms-") || strings.HasPrefix(lower, "ext-ms-") {
		return true
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		return true
	}
	wide, err := syscall.UTF16PtrFromString(name)
	if err != nil {
		return false
	}
	var buf [syscall.MAX_PATH]uint16
	n, _, _ := procSearchPathW.Call(0, uintptr(unsafe.Pointer(wide)), 0, uintptr(len(buf)), uintptr(unsafe.Pointer(&buf[0])), 0)
	return n != 0
}

// Attach has nothing to do on Windows: LoadLibraryExW ran DllMain, and its failure came back
// from OpenImage.
func (img *Image) Attach() error { return nil }
