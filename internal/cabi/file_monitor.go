package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"strconv"
	"strings"
	"unsafe"
)

// FileMonitor is a directory a module monitors (IHttpServer::RegisterFileChangeMonitor).
type FileMonitor struct {
	ID   uint64
	Path string
}

// FileMonitors lists the directories modules monitor now.
func (h *Host) FileMonitors() []FileMonitor {
	buf := make([]byte, 4096)
	for {
		n := int(C.iis_file_monitors(h.c, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf))))
		if n <= len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, n+1024) // monitors were added meanwhile: ask again with room
	}
	var out []FileMonitor
	for _, line := range strings.Split(strings.TrimSuffix(string(buf), "\n"), "\n") {
		id, path, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(id, 10, 64)
		if err == nil {
			out = append(out, FileMonitor{ID: n, Path: path})
		}
	}
	return out
}

// FileMonitorChanged raises GL_FILE_CHANGE for a file under monitor id; it reports whether a
// module handled it, and false when the monitor was released meanwhile.
func (h *Host) FileMonitorChanged(id uint64, file string) bool {
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	return C.iis_file_monitor_changed(h.c, C.uint64_t(id), cfile) == 1
}
