//go:build windows

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// InstallServices diverts the module's imports of the event log and OutputDebugString to host
// log records, and of CoCreateInstance to the host's admin manager for its class
// (import_hooks_windows.cpp); a module importing none of them is left as it is.
func (h *Host) InstallServices(module string, img *Image) error {
	cname := C.CString(module)
	defer C.free(unsafe.Pointer(cname))
	var msg [256]C.char
	lib := img.library // the HMODULE from LoadLibraryExW
	if C.iis_module_hook_imports(h.c, cname, *(*unsafe.Pointer)(unsafe.Pointer(&lib)), &msg[0], C.size_t(len(msg))) < 0 {
		return fmt.Errorf("diverting its event log, OutputDebugString and CoCreateInstance imports: %s", C.GoString(&msg[0]))
	}
	return nil
}
