// Package doors is C++ of the bridge: the extern "C" doors where a request crosses into C++
// (doors_request.cpp, called from internal/cabi/doors_request.go) and where a host is configured
// (doors_host.cpp).
//
// It has no Go API; internal/cabi links it in with a blank import.
package doors

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
