package host_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestContextScopes checks site, application and dispensed containers: shared across requests,
// one context per module, and cleaned up when their scope ends (application and site before
// Terminate, a dispensed one when released).
func TestContextScopes(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "scopes.log")
	t.Setenv("IISHOST_SCOPES_LOG", logPath)
	srv, _, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Scopes", Image: hosttest.Build(t, "testdata/modules/scopes.cpp")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	for i := 1; i <= 3; i++ {
		want := "site=" + strconv.Itoa(i) + " app=" + strconv.Itoa(i) + " dispensed=" + strconv.Itoa(i) + " again=0x80070055"
		_, got := getOK(t, ts.URL+"/scopes")
		assert.Equal(t, want, got)
	}
	ts.Close()
	require.NoError(t, srv.Close())
	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	assert.Equal(t, "cleanup app 3\ncleanup site 3\ncleanup dispensed 3\nterminate\n", string(data))
}

// TestContextPaths checks the physical-path family and the request's identity methods.
func TestContextPaths(t *testing.T) {
	root := t.TempDir()
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root}, hosttest.Module{Name: "Scopes", Image: hosttest.Build(t, "testdata/modules/scopes.cpp")})
	_, body := getOK(t, srv.URL+"/paths/x.txt")
	phys := root + "/paths/x.txt"
	want := strings.Join([]string{
		"script=/paths/x.txt/12",
		"physical=" + phys + "/" + strconv.Itoa(len(phys)),
		"translated=" + phys,
		"mapneed=" + strconv.Itoa((len(root+"/img/a.png")+1)*4) + " 0x8007007A",
		"mapped=" + root + "/img/a.png 0x00000000",
		"relative=" + root + "/paths/b.txt 0x00000000",
		"flags=0",
		"parent=null",
		"root=self",
		"site=Default Web Site/1",
		"apppath=" + root,
		"appid=/LM/W3SVC/1/ROOT",
		"pool=DefaultAppPool",
		"cmdline=1",
	}, "\n") + "\n"
	assert.Equal(t, want, body)
}

// TestNamedContexts: a named context set in one notification is found in a later one, a name
// is set once, and the context is cleaned up when the request ends.
func TestNamedContexts(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "named.log")
	t.Setenv("IISHOST_NAMED_LOG", logPath)
	srv := hosttest.Serve(t, hosttest.Module{Name: "Named", Image: hosttest.Build(t, "testdata/modules/named.cpp")})
	resp, err := http.Get(srv.URL + "/x?first")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "first", resp.Header.Get("X-Named"))
	assert.Equal(t, "0x80070055", resp.Header.Get("X-Named-Again")) // HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED)
	assert.Equal(t, "null", resp.Header.Get("X-Named-Missing"))
	assert.Equal(t, "[]", resp.Header.Get("X-Original-User"), "the anonymous user has an empty name")
	require.Eventually(t, func() bool {
		data, _ := os.ReadFile(logPath)
		return string(data) == "cleanup first\n"
	}, 5*time.Second, 5*time.Millisecond)
}
