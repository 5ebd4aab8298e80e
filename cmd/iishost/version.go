package main

import (
	"runtime/debug"
	"strings"
)

// versionLine is what -version prints: the module's version, the commit it was built from and
// its time (with "+modified" when the tree had changes), and the Go version.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "iishost (no build information)"
	}
	return describeBuild(info)
}

func describeBuild(info *debug.BuildInfo) string {
	parts := []string{"iishost", info.Main.Version}
	var revision, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if revision != "" {
		parts = append(parts, "revision "+revision+modified)
	}
	if when != "" {
		parts = append(parts, when)
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, " ")
}
