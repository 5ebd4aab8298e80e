// Package request is C++ of the bridge: IHttpRequest (http_request.cpp), its body reads
// (http_request_body.cpp) and header name interning (headers.cpp).
//
// It has no Go API; internal/cabi links it in with a blank import.
package request

// The flags are the same in every C++ package of the bridge (internal/cabi/README.md).

/*
#cgo CXXFLAGS: -std=c++17 -O2 -Wall -Wextra -Werror -fno-strict-aliasing -I${SRCDIR}/../headers -I${SRCDIR}/../../../include
#cgo windows CXXFLAGS: -DWIN32_LEAN_AND_MEAN -D_POSIX_THREAD_SAFE_FUNCTIONS
*/
import "C"

import (
	_ "github.com/iishost/iishost/include"               // rebuild when a header changes
	_ "github.com/iishost/iishost/internal/cabi/headers" // (see internal/cabi/headers)
)
