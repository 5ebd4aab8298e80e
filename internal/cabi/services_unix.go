//go:build unix

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import "unsafe"

// InstallServices points the module's iishost_services variable (when it has one) at a table
// that turns its event log and OutputDebugString into host log records and answers its
// CoCreateInstance of the admin manager (include/iishost/host_services.h).
func (h *Host) InstallServices(module string, img *Image) error {
	if img.Services == 0 {
		return nil
	}
	cname := C.CString(module)
	defer C.free(unsafe.Pointer(cname))
	slot := img.Services // a C address from dlsym, never Go memory
	C.iis_module_install_services(h.c, cname, *(*unsafe.Pointer)(unsafe.Pointer(&slot)))
	return nil
}
