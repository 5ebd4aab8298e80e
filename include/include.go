// Package include holds the IIS API headers that modules and the bridge compile against.
//
// The Go file is here for the build cache only: the bridge's C++ packages import this package,
// whose compiled output embeds every header, so editing or regenerating one rebuilds them
// (internal/cabi/headers explains why).
package include

import "embed"

// Files holds every header of this folder and of iishost/.
//
//go:embed *.h iishost/*.h
var Files embed.FS
