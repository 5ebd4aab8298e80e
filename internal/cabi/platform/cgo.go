// Package platform is C++ of the bridge: what differs by operating system: library entry points,
// GUIDs, import hooks and the module guard (Windows), tick counts, crash reports, wide strings and
// AddressSanitizer defaults.
//
// It has no Go API; internal/cabi links it in with a blank import.
package platform

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
