package cabi

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/winetest"
)

// Variables that make a missing tool a failure instead of a skip: CI sets them, so that a
// missing package cannot pass as skipped tests.
const (
	requireWindowsTools = "IISHOST_REQUIRE_WINDOWS_TOOLS"
	requireWine         = "IISHOST_REQUIRE_WINE"
)

// requireTool returns the first of tools found (a name with a slash is a path). Without any,
// the test skips naming them, or fails when the variable require is 1.
func requireTool(t *testing.T, require string, tools ...string) string {
	t.Helper()
	for _, tool := range tools {
		if path, err := exec.LookPath(tool); err == nil {
			return path
		}
	}
	if os.Getenv(require) == "1" {
		t.Fatalf("%s is not installed, and %s=1", strings.Join(tools, " or "), require)
	}
	t.Skipf("%s is not installed (set %s=1 to make this a failure)", strings.Join(tools, " or "), require)
	return ""
}

// runTool runs a program in dir with stdin, and returns its standard output; a failure ends
// the test with everything it printed.
func runTool(t *testing.T, env []string, dir string, stdin io.Reader, program string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Dir, cmd.Stdin = dir, stdin
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s %v:\n%s%s", program, args, out, stderr.String())
	return string(out)
}

// mingwCompile compiles C source with a MinGW compiler (x86_64-w64-mingw32-gcc-posix,
// i686-w64-mingw32-gcc, ...) into out, with extra flags such as -shared.
func mingwCompile(t *testing.T, compiler, out, source string, flags ...string) {
	t.Helper()
	cc := requireTool(t, requireWindowsTools, compiler)
	args := append([]string{"-x", "c", "-o", out}, flags...)
	runTool(t, nil, filepath.Dir(out), strings.NewReader(source), cc, append(args, "-")...)
}

// wineRunner runs Windows programs under Wine in winetest's shared prefix (made once in the
// user cache); winetest.Setup skips under -race and -asan, where the Wine tests do not run.
type wineRunner struct{ *winetest.Env }

func newWineRunner(t *testing.T) wineRunner {
	t.Helper()
	return wineRunner{winetest.Setup(t)}
}

// run runs a program of dir under Wine and returns its standard output; a failure ends the
// test with everything it printed.
func (w wineRunner) run(t *testing.T, dir, program string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	stdout, stderr, err := w.RunIn(ctx, dir, program, args...)
	require.NoError(t, err, "%s %v under Wine:\n%s%s", program, args, stdout, stderr)
	return stdout
}
