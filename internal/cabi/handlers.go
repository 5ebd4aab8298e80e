package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Handler is one handler mapping as the C++ side needs it: the configured entry and the
// indices of the loaded modules its modules attribute names.
type Handler struct {
	Name, Path, Verb, Modules, ScriptProcessor, Type, PreCondition string
	RequireAccess, ResourceType, ResponseBufferLimit               uint32
	AllowPathInfo                                                  bool
	ModuleIndices                                                  []int32
}

// SetHandlers installs the handler mappings, in match order, and turns handler mapping on:
// from then on RQ_EXECUTE_REQUEST_HANDLER goes only to the matched entry's modules. Call it
// before serving.
func (h *Host) SetHandlers(handlers []Handler) {
	withHandlers(handlers, func(first *C.iis_handler, n C.int) { C.iis_handlers_set(h.c, first, n) })
}

// SetScopeHandlers is SetHandlers for the requests under a URL scope (see AddScope).
func (h *Host) SetScopeHandlers(site int, prefix string, handlers []Handler) {
	cp := C.CString(prefix)
	defer C.free(unsafe.Pointer(cp))
	withHandlers(handlers, func(first *C.iis_handler, n C.int) { C.iis_scope_handlers_set(h.c, C.int(site), cp, first, n) })
}

// withHandlers lends fn the handlers as the bridge's array, for the length of the call.
func withHandlers(handlers []Handler, fn func(first *C.iis_handler, n C.int)) {
	var pin runtime.Pinner
	defer pin.Unpin()
	var frees []unsafe.Pointer
	defer func() {
		for _, p := range frees {
			C.free(p)
		}
	}()
	str := func(s string) *C.char {
		p := C.CString(s)
		frees = append(frees, unsafe.Pointer(p))
		return p
	}
	cs := make([]C.iis_handler, len(handlers))
	for i, hd := range handlers {
		c := &cs[i]
		c.name, c.path, c.verb, c.modules = str(hd.Name), str(hd.Path), str(hd.Verb), str(hd.Modules)
		c.script_processor, c.managed_type, c.precondition = str(hd.ScriptProcessor), str(hd.Type), str(hd.PreCondition)
		c.require_access, c.resource_type = C.uint32_t(hd.RequireAccess), C.uint32_t(hd.ResourceType)
		c.response_buffer_limit = C.uint32_t(hd.ResponseBufferLimit)
		if hd.AllowPathInfo {
			c.allow_path_info = 1
		}
		if len(hd.ModuleIndices) > 0 {
			pin.Pin(&hd.ModuleIndices[0])
			c.module_indices = (*C.int32_t)(unsafe.Pointer(&hd.ModuleIndices[0]))
			c.module_count = C.int32_t(len(hd.ModuleIndices))
		}
	}
	var first *C.iis_handler
	if len(cs) > 0 {
		first = &cs[0]
	}
	fn(first, C.int(len(cs)))
}
