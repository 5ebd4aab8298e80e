package cabi

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/msvcmod"
	"github.com/iishost/iishost/internal/winetest"
)

// TestModuleGuardUnderWine runs module_guard.h's ModuleCall, compiled with MinGW as the Windows
// host is, against a module built for the MSVC ABI (testdata/moduleguard), under Wine: the
// module's C++ exceptions reach catch (...) as ModuleExceptions naming the thrown type, after
// the module's frames unwound with their destructors; the host's own g++ exceptions pass the
// guard untouched, nested guards each stop their own, and a module's access violation is not
// stopped.
func TestModuleGuardUnderWine(t *testing.T) {
	wine := newWineRunner(t)
	gxx := requireTool(t, requireWindowsTools, "x86_64-w64-mingw32-g++-posix")
	tc, err := msvcmod.Find()
	if err != nil {
		requireTool(t, requireWindowsTools, "clang", "lld-link") // skips or fails naming the tools
		t.Fatal(err)
	}
	dir := t.TempDir()
	src, err := filepath.Abs("testdata/moduleguard")
	require.NoError(t, err)
	here, err := filepath.Abs(".")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	require.NoError(t, tc.Build(ctx, []string{filepath.Join(src, "throwing.cpp"), filepath.Join(here, "..", "msvcmod", "testdata", "throwing_module.cpp")},
		filepath.Join(dir, "throwing.dll")))
	// Static, so that Wine needs no MinGW runtime DLLs; -O2 as the host builds.
	runTool(t, nil, dir, nil, gxx, "-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-DWIN32_LEAN_AND_MEAN", "-I", filepath.Join(here, "headers"),
		"-o", "harness.exe", filepath.Join(src, "harness.cpp"), filepath.Join(here, "platform", "module_guard_windows.cpp"),
		filepath.Join(here, "platform", "module_guard_windows.S"), "-static")

	// Destructors: 2 per call of ThrowThroughFrames (its own frame's and Deep's), throwing or not.
	assert.Equal(t, `value 1
value: returned
int: caught: an MSVC C++ exception of type .H
destructors run 4
runtime_error: caught: an MSVC C++ exception of type .?AVruntime_error@std@@
host exception: host runtime_error: host says no
inner: caught: an MSVC C++ exception of type .H
nested: caught: an MSVC C++ exception of type .?AVruntime_error@std@@
stopped 10000 of 10000, destructors run 20006
`, wine.run(t, dir, "harness.exe"))

	stdout, stderr, err := wine.RunIn(ctx, dir, "harness.exe", "fault")
	require.True(t, winetest.Crashed(err, stderr), "the access violation was stopped:\n%s%s", stdout, stderr)
	assert.NotContains(t, stdout, "fault: caught")
	assert.NotContains(t, stdout, "fault: returned")
}
