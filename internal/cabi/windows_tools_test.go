package cabi

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// requireTool finds a tool the Windows tests need. Without it the test skips and names it, or
// fails when the environment variable require (IISHOST_REQUIRE_WINDOWS_TOOLS, IISHOST_REQUIRE_WINE)
// is 1: CI sets it, so that a missing package cannot pass as skipped tests.
func requireTool(t *testing.T, require, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	if os.Getenv(require) == "1" {
		t.Fatalf("%s is not installed, and %s=1", tool, require)
	}
	t.Skipf("%s is not installed (set %s=1 to make this a failure)", tool, require)
	return ""
}

// mingwCompile compiles C source with a MinGW compiler (x86_64-w64-mingw32-gcc-posix,
// i686-w64-mingw32-gcc, ...) into out, with extra flags such as -shared.
func mingwCompile(t *testing.T, compiler, out, source string, flags ...string) {
	t.Helper()
	cc := requireTool(t, "IISHOST_REQUIRE_WINDOWS_TOOLS", compiler)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"-x", "c", "-o", out}, flags...)
	args = append(args, "-")
	cmd := exec.CommandContext(ctx, cc, args...)
	cmd.Stdin = strings.NewReader(source)
	output, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", compiler, args, output)
}
