//go:build !windows

package hosttest

// errNoIsolation is nil where Run can start isolated host processes (isolated_windows.go).
var errNoIsolation error
