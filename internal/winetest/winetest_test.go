package winetest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var listening = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)

// A Go program cross-built for Windows runs under Wine (the shim lets its runtime start),
// listens, sees its environment, and answers over real HTTP.
func TestGoProgramServesHTTP(t *testing.T) {
	e := Setup(t)
	exe := filepath.Join(t.TempDir(), "hello.exe")
	require.NoError(t, GoBuild(".", "./testdata/hello", exe, false))

	p := e.Start(t, exe, nil, append(os.Environ(), "WINETEST_GREETING=greetings"))
	addr := p.WaitFor(t, listening)[1]

	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get("http://" + addr + "/some/path")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "/some/path on Windows_NT with greetings", string(body))

	p.Stop(t)
	assert.True(t, strings.HasSuffix(p.Output.String(), "interrupted\n"), "CTRL_C reached the program; output:\n%s", p.Output)
}

func TestWindowsPath(t *testing.T) {
	assert.Equal(t, `Z:\tmp\a b\c.config`, WindowsPath("/tmp/a b/c.config"))
}

func TestFileSafe(t *testing.T) {
	assert.Equal(t, "wine-8.0_Debian_8.0_repack-4", fileSafe("wine-8.0 (Debian 8.0~repack-4)\n"))
}

// outcome stands in for a test, recording how Tool ended it.
type outcome struct {
	testing.TB
	skipped, failed string
}

func (o *outcome) Skipf(format string, args ...any)  { o.skipped = fmt.Sprintf(format, args...) }
func (o *outcome) Fatalf(format string, args ...any) { o.failed = fmt.Sprintf(format, args...) }

func TestMissingToolSkipsUnlessRequired(t *testing.T) {
	t.Setenv(RequireEnv, "")
	o := &outcome{TB: t}
	assert.Empty(t, Tool(o, "iishost-no-such-tool", "/nonexistent/iishost-tool"))
	assert.Equal(t, "iishost-no-such-tool or /nonexistent/iishost-tool not found (the Windows subset needs Wine, MinGW-w64 and clang/lld)", o.skipped)
	assert.Empty(t, o.failed)

	t.Setenv(RequireEnv, "1")
	o = &outcome{TB: t}
	Tool(o, "iishost-no-such-tool")
	assert.Equal(t, "iishost-no-such-tool not found (the Windows subset needs Wine, MinGW-w64 and clang/lld) ("+RequireEnv+"=1)", o.failed)
	assert.Empty(t, o.skipped)

	assert.Equal(t, "/bin/sh", Tool(t, "/bin/sh"), "a path is taken as it is")
}
