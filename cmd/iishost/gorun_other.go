//go:build !linux

package main

import "log/slog"

// reportGoRunBuild says nothing where the go-build folder's birth time cannot be read.
func reportGoRunBuild(*slog.Logger) {}
