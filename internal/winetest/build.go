package winetest

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// buildTimeout bounds a cross build; a cgo build of the bridge compiles many C++ files.
const buildTimeout = 15 * time.Minute

// GoBuild cross-builds the Go package pkg, resolved in dir, for windows/amd64 into out. With
// cgo, C and C++ go through the MinGW-w64 -posix compilers.
func GoBuild(dir, pkg, out string, cgo bool) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if cgo {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=1", "CC="+CC, "CXX="+CXX)
	}
	if _, err := combined(cmd); err != nil {
		return fmt.Errorf("go build %s for windows/amd64: %w", pkg, err)
	}
	return nil
}
