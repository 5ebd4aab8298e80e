package cabi

import (
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sync"

	"github.com/ebitengine/purego"
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

// OpenImage checks and opens a module's shared library and finds its entry points.
func OpenImage(path string) (*Image, error) {
	if err := checkImage(path); err != nil {
		return nil, err
	}
	lib, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		return nil, fmt.Errorf("dlopen: %w", err)
	}
	entry, err := purego.Dlsym(lib, "RegisterModule")
	if err != nil {
		return nil, ErrNoEntryPoint
	}
	img := &Image{RegisterModule: entry, library: lib}
	// Modules that use the event log or OutputDebugString carry this variable.
	if slot, err := purego.Dlsym(lib, "iishost_services"); err == nil {
		img.Services = slot
	}
	return img, nil
}

var elfMachine = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386, "riscv64": elf.EM_RISCV}

// checkImage reads the file header so that the common mistakes get a plain answer instead of
// a dlopen message.
func checkImage(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNoImage
	}
	if err != nil {
		return err
	}
	if info.IsDir() {
		return fmt.Errorf("%w: it is a directory", ErrNotSharedLibrary)
	}
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotSharedLibrary, err)
	}
	defer f.Close()
	if f.Type != elf.ET_DYN {
		return fmt.Errorf("%w: ELF type is %v", ErrNotSharedLibrary, f.Type)
	}
	if want, ok := elfMachine[runtime.GOARCH]; ok && f.Machine != want {
		return fmt.Errorf("%w: built for %v, this host is %s", ErrWrongArch, f.Machine, runtime.GOARCH)
	}
	return nil
}

// attached records the libraries whose DllMain ran: Windows calls it once per process however
// often the library is loaded, and several hosts of one process (tests) share a library.
var attached sync.Map

type attachment struct {
	once sync.Once
	err  error
}

// Attach calls the library's DllMain with DLL_PROCESS_ATTACH the first time it is loaded.
func (img *Image) Attach() error {
	entry, err := purego.Dlsym(img.library, "DllMain")
	if err != nil {
		return nil // most modules have none
	}
	once, _ := attached.LoadOrStore(img.library, &attachment{})
	a := once.(*attachment)
	a.once.Do(func() { a.err = CallDllMain(entry) })
	if a.err != nil {
		return fmt.Errorf("%w: %v", ErrDllMain, a.err)
	}
	return nil
}
