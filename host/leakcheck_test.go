//go:build asan

package host_test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// leakImageEnv names the leak fixture's image in the child run of TestLeakCheck.
const leakImageEnv = "IISHOST_LEAKCHECK_IMAGE"

// TestLeakCheck runs this test binary again on the leak fixture: LeakSanitizer's check at the
// child's exit must fail it on the module's leak, with cabi's sanitizer defaults in force
// (asan_options.c), and with a report rather than a tracer crash.
func TestLeakCheck(t *testing.T) {
	if image := os.Getenv(leakImageEnv); image != "" {
		srv := hosttest.Serve(t, hosttest.Module{Name: "Leak", Image: image})
		resp, err := http.Get(srv.URL + "/leak")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, "ok", string(body))
		return
	}
	so := hosttest.Build(t, "testdata/modules/leak.cpp")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakCheck$", "-test.count=1")
	cmd.Env = append(os.Environ(), leakImageEnv+"="+so)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the child must fail on its leak:\n%s", out)
	assert.Contains(t, string(out), "detected memory leaks")
	assert.Contains(t, string(out), "Direct leak of 1234 byte(s)")
	assert.NotContains(t, string(out), "LeakSanitizer has encountered a fatal error")
}
