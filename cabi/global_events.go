package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import "unsafe"

// NotifyConfigurationChange raises GL_CONFIGURATION_CHANGE for a configuration path; true when
// a module handled it.
func (h *Host) NotifyConfigurationChange(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return C.iis_notify_configuration_change(h.c, cpath) != 0
}

// NotifyFileChange raises GL_FILE_CHANGE for a file name; true when a module handled it.
func (h *Host) NotifyFileChange(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return C.iis_notify_file_change(h.c, cpath) != 0
}
