package hosttest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

// TestAnotherGoModuleTestsItsModule copies examples/hello into a Go module of its own that
// requires iishost (replaced by this tree), and runs `go test` there: hosttest finds iishost's
// headers from its own location, not the working directory. (Built with -trimpath, it asks
// `go list -m` instead: internal/modbuild's TestRequiredTreeFollowsTheGoModule.)
func TestAnotherGoModuleTestsItsModule(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds iishost in a Go module of its own")
	}
	repo, err := modbuild.Tree()
	require.NoError(t, err)
	dir := t.TempDir()
	goMod := "module example.com/mymodule\n\ngo 1.26.0\n\n" +
		"require github.com/iishost/iishost v0.0.0\n\n" +
		"replace github.com/iishost/iishost => " + repo + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	for _, f := range []string{"hello_test.go", "module/hello.cpp", "module/greeting.cpp", "module/greeting.h"} {
		data, err := os.ReadFile(filepath.Join(repo, "examples", "hello", f))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), data, 0o644))
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", "./...")
	cmd.Dir = dir
	cmd.Env = append(withoutSanitizers(os.Environ()), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go test in %s:\n%s", dir, out)
	require.Contains(t, string(out), "--- PASS: TestHello", "%s", out)
}

// TestBuildTakesSeveralSources builds the example from its sources named one by one.
func TestBuildTakesSeveralSources(t *testing.T) {
	so := hosttest.Build(t, "examples/hello/module/hello.cpp", "examples/hello/module/greeting.cpp")
	p := hosttest.Run(t, hosttest.Module{Name: "Hello", Image: so})
	hosttest.AssertBody(t, p.Get("/hello?name=Grace"), "Hello, Grace!")
}

// withoutSanitizers drops scripts/sanitize.sh's settings: a nested go test without -asan would
// link an instrumented cabi into an uninstrumented runtime. The nested run is about finding
// iishost, which sanitizers do not change.
func withoutSanitizers(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "CGO_CFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "IISHOST_MODULE_CFLAGS":
			continue
		}
		out = append(out, kv)
	}
	return out
}
