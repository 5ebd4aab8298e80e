// Package headers holds the headers of the bridge's C++ packages (internal/cabi/*/).
//
// Go's build cache keys a cgo package on its own folder's files, not on headers it includes from
// elsewhere. So every C++ package imports this one, whose compiled output embeds every header: a
// header edit changes this package's output, and that rebuilds each package importing it.
// TestIncludesAreTracked (internal/cabi) fails if a C++ file includes a header outside the
// tracked folders.
package headers

import "embed"

// Files holds every header of this folder.
//
//go:embed *.h
var Files embed.FS
