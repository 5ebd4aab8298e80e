package host_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func raisedServer(t *testing.T, opts hosttest.Options, names ...string) *hosttest.Server {
	t.Helper()
	return hosttest.ServeWith(t, opts, hosttest.Instances(hosttest.Build(t, "testdata/modules/globalraised.cpp"), names...)...)
}

// raisedLines drains globalraised.cpp's list, keeping the lines whose event is event.
func raisedLines(t *testing.T, srv *hosttest.Server, event string) []string {
	t.Helper()
	_, body := getOK(t, srv.URL+"/lines")
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[1] == event {
			out = append(out, l)
		}
	}
	return out
}

// TestGlobalNeverRaisedWarned: a module subscribing to a global notification iishost never
// raises is warned about at load, by module and notification; one that does not subscribe is not.
func TestGlobalNeverRaisedWarned(t *testing.T) {
	srv := raisedServer(t, hosttest.Options{}, "plain", "watcher-rsca")
	var warnings []string
	for _, l := range strings.Split(srv.Log.String(), "\n") {
		if strings.Contains(l, "never raises") {
			warnings = append(warnings, l)
		}
	}
	if assert.Len(t, warnings, 1) {
		assert.Contains(t, warnings[0], "level=WARN")
		assert.Contains(t, warnings[0], "module=watcher-rsca")
		assert.Contains(t, warnings[0], "notification=GL_RSCA_QUERY")
	}
}

// TestGlobalApplicationResolveModules: at startup every subscriber hears GL_APPLICATION_START,
// then GL_APPLICATION_RESOLVE_MODULES, before the first request; the provider's GetApplication
// is the site's application, and registering a module through it answers E_NOTIMPL.
func TestGlobalApplicationResolveModules(t *testing.T) {
	srv := raisedServer(t, hosttest.Options{}, "res-a", "res-b")
	_, body := getOK(t, srv.URL+"/lines")
	app := "MACHINE/WEBROOT/APPHOST/Default Web Site"
	assert.Equal(t, "res-a ApplicationStart "+app+"\n"+
		"res-b ApplicationStart "+app+"\n"+
		"res-a ApplicationResolveModules "+app+" register=0x80004001\n"+
		"res-b ApplicationResolveModules "+app+" register=0x80004001\n", body)
}

// TestStaticFileCacheOperations: a static file is read through the host's file cache, as IIS's
// static file handler reads it: the first GET adds it (GL_CACHE_OPERATION ADD), later GETs
// and HEADs hit it (RETRIEVE); a missing file and a directory raise nothing.
func TestStaticFileCacheOperations(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "page.txt"), []byte("static"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(root, "dir"), 0o755))
	srv := raisedServer(t, hosttest.Options{Root: root}, "cache-a", "cache-b")

	_, body := getOK(t, srv.URL+"/page.txt")
	assert.Equal(t, "static", body)
	_, body = getOK(t, srv.URL+"/page.txt")
	assert.Equal(t, "static", body)
	resp, err := http.Head(srv.URL + "/page.txt")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for _, path := range []string{"/missing.txt", "/dir/"} {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
	assert.Equal(t, []string{
		"cache-a CacheOperation add page.txt",
		"cache-b CacheOperation add page.txt",
		"cache-a CacheOperation retrieve page.txt",
		"cache-b CacheOperation retrieve page.txt",
		"cache-a CacheOperation retrieve page.txt",
		"cache-b CacheOperation retrieve page.txt",
	}, raisedLines(t, srv, "CacheOperation"))
}
