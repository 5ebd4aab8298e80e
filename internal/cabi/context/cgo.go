// Package context is C++ of the bridge: IHttpContext (http_context.cpp), with child requests,
// physical paths and server variables in files of their own, IHttpConnection (http_connection.cpp)
// and the module context containers (module_context_containers.cpp).
//
// It has no Go API; internal/cabi links it in with a blank import.
package context

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
