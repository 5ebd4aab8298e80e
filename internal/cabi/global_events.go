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

// Unraised is a global notification the host never raises.
type Unraised struct {
	Bit    uint32
	Name   string // GL_* name
	Method string // the CGlobalModule method that is never called
	Reason string
}

// NeverRaised lists every GL_* notification of httpserv.h the host does not raise: the load
// warning for subscribers and the coverage table both read it, so they cannot disagree.
var NeverRaised = []Unraised{
	{0x00001000, "GL_RSCA_QUERY", "OnGlobalRSCAQuery",
		"run-time status and control queries (RSCA) come from WAS, which iishost has not"},
	{0x00010000, "GL_APPLICATION_PRELOAD", "OnGlobalApplicationPreload",
		"application preload (WAS) has no counterpart: the host has no preload phase"},
	{0x00020000, "GL_SUSPEND_PROCESS", "OnSuspendProcess",
		"WAS suspends idle worker processes; iishost's process is never suspended"},
}
