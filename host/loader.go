package host

import (
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sync"

	"github.com/ebitengine/purego"

	"github.com/iishost/iishost/cabi"
)

// LoadedModule is one native module after RegisterModule succeeded.
type LoadedModule struct {
	Name         string
	Image        string
	Index        int // position in the host's module table
	Registration cabi.Registration
}

// ModuleError says which module failed to load, from which file, and why.
type ModuleError struct {
	Module, Image string
	Err           error
}

func (e *ModuleError) Error() string {
	return fmt.Sprintf("module %q (%s): %v", e.Module, e.Image, e.Err)
}

func (e *ModuleError) Unwrap() error { return e.Err }

// Reasons a module fails to load; match them with errors.Is.
var (
	ErrNoImage          = errors.New("no such file")
	ErrNotSharedLibrary = errors.New("not a shared library")
	ErrWrongArch        = errors.New("wrong architecture")
	ErrNoEntryPoint     = errors.New("does not export RegisterModule")
	ErrDllMain          = errors.New("DllMain failed")
)

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

// attachOnce calls the library's DllMain with DLL_PROCESS_ATTACH the first time it is loaded.
func attachOnce(lib uintptr) error {
	entry, err := purego.Dlsym(lib, "DllMain")
	if err != nil {
		return nil // most modules have none
	}
	once, _ := attached.LoadOrStore(lib, &attachment{})
	a := once.(*attachment)
	a.once.Do(func() { a.err = cabi.CallDllMain(entry) })
	if a.err != nil {
		return fmt.Errorf("%w: %v", ErrDllMain, a.err)
	}
	return nil
}

type attachment struct {
	once sync.Once
	err  error
}

// loadModule opens one module image and calls its RegisterModule (docs/design.md §3).
func loadModule(h *cabi.Host, spec ModuleSpec) (*LoadedModule, error) {
	fail := func(err error) (*LoadedModule, error) {
		return nil, &ModuleError{Module: spec.Name, Image: spec.Image, Err: err}
	}
	if err := checkImage(spec.Image); err != nil {
		return fail(err)
	}
	lib, err := purego.Dlopen(spec.Image, purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		return fail(fmt.Errorf("dlopen: %w", err))
	}
	entry, err := purego.Dlsym(lib, "RegisterModule")
	if err != nil {
		return fail(ErrNoEntryPoint)
	}
	// Modules that use the event log or OutputDebugString carry this variable; it must be set
	// before RegisterModule, which commonly logs.
	if slot, err := purego.Dlsym(lib, "iishost_services"); err == nil {
		h.InstallServices(spec.Name, slot)
	}
	if err := attachOnce(lib); err != nil {
		return fail(err)
	}
	index, reg, err := h.RegisterModule(spec.Name, entry)
	if err != nil {
		return fail(err)
	}
	return &LoadedModule{Name: spec.Name, Image: spec.Image, Index: index, Registration: reg}, nil
}
