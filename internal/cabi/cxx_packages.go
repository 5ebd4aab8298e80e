package cabi

// The C++ side of the bridge, one cgo package per group of interfaces (README.md). They have no
// Go API; these imports link them in. The headers are imported for this package's own cgo
// preambles, which include bridge.h and upgrade_doors.h.
import (
	_ "github.com/iishost/iishost/include"
	_ "github.com/iishost/iishost/internal/cabi/admin"
	_ "github.com/iishost/iishost/internal/cabi/async"
	_ "github.com/iishost/iishost/internal/cabi/context"
	_ "github.com/iishost/iishost/internal/cabi/doors"
	_ "github.com/iishost/iishost/internal/cabi/files"
	_ "github.com/iishost/iishost/internal/cabi/headers"
	_ "github.com/iishost/iishost/internal/cabi/pipeline"
	_ "github.com/iishost/iishost/internal/cabi/platform"
	_ "github.com/iishost/iishost/internal/cabi/request"
	_ "github.com/iishost/iishost/internal/cabi/response"
	_ "github.com/iishost/iishost/internal/cabi/server"
)
