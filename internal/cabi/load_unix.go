//go:build unix

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

var elfMachine = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386, "riscv64": elf.EM_RISCV}

// checkImage wants an ELF shared object for this host's architecture.
func checkImage(file *os.File, size int64) error {
	f, err := elf.NewFile(file)
	if err != nil {
		head := make([]byte, min(size, 512))
		if _, rerr := file.ReadAt(head, 0); rerr != nil && !errors.Is(rerr, io.EOF) {
			return fmt.Errorf("%w: %v", ErrNotSharedLibrary, rerr)
		}
		if len(head) < 4 || string(head[:4]) != "\x7fELF" {
			return fmt.Errorf("%w: it is %s, not an ELF image", ErrNotSharedLibrary, describeFile(head, size))
		}
		return fmt.Errorf("%w: %v", ErrNotSharedLibrary, err)
	}
	if f.Type != elf.ET_DYN {
		return fmt.Errorf("%w: ELF type is %v", ErrNotSharedLibrary, f.Type)
	}
	if want, ok := elfMachine[runtime.GOARCH]; ok && f.Machine != want {
		return fmt.Errorf("%w: built for %v, this host is %s", ErrWrongArch, f.Machine, runtime.GOARCH)
	}
	return nil
}

func openLibrary(path string) (*Image, error) {
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

// attached records the libraries whose DllMain ran: Windows calls it once per process however
// often the library is loaded, and several hosts of one process (tests) share a library.
var attached sync.Map

type attachment struct {
	once sync.Once
	err  error
}

// Attach calls the library's DllMain with DLL_PROCESS_ATTACH the first time it is loaded, as the
// Windows loader would.
func (img *Image) Attach() error {
	entry, err := purego.Dlsym(img.library, "DllMain")
	if err != nil {
		return nil // most modules have none
	}
	once, _ := attached.LoadOrStore(img.library, &attachment{})
	a := once.(*attachment)
	a.once.Do(func() { a.err = callDllMain(entry) })
	if a.err != nil {
		return fmt.Errorf("%w: %v", ErrDllMain, a.err)
	}
	return nil
}

// callDllMain runs a module's DllMain (its address from dlsym) for DLL_PROCESS_ATTACH and
// reports FALSE or an exception as an error.
func callDllMain(entry uintptr) error {
	var msg [256]C.char
	if C.iis_module_dllmain(*(*unsafe.Pointer)(unsafe.Pointer(&entry)), &msg[0], C.size_t(len(msg))) == 0 {
		return errors.New(C.GoString(&msg[0]))
	}
	return nil
}
