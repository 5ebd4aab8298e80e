package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import "unsafe"

// canonicalURLPath runs the C++ side's canonicaliser (http_context_paths.cpp), which MapPath, SetUrl and
// relative URLs go through, so tests can hold it to internal/frontdoor's rule.
func canonicalURLPath(p string) (string, bool) {
	in := C.CString(p)
	defer C.free(unsafe.Pointer(in))
	out := make([]byte, 2*len(p)+2) // "." segments become "/": never more than twice as long
	var n C.size_t
	if C.iis_canonical_url_path(in, C.size_t(len(p)), (*C.char)(unsafe.Pointer(&out[0])), C.size_t(len(out)), &n) == 0 {
		return "", false
	}
	return string(out[:n]), true
}
