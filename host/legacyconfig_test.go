package host_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestLegacyConfig: a Windows-style module finds the .ini file beside its own library with
// GetModuleFileNameW and the shlwapi path helpers, expands %VARIABLES% from the environment in
// it, and reports a missing file with FormatMessageW's text of the Win32 error.
func TestLegacyConfig(t *testing.T) {
	image := hosttest.Build(t, "testdata/modules/legacyconfig.cpp")
	ini := strings.TrimSuffix(image, filepath.Ext(image)) + ".ini"
	name := filepath.Base(ini)
	t.Cleanup(func() { os.Remove(ini) })
	t.Setenv("LEGACY_ROOT", "/srv/site")
	srv := hosttest.Serve(t, hosttest.Module{Name: "LegacyConfig", Image: image})

	for _, tc := range []struct {
		name   string
		setup  func()
		status int
		body   string
	}{
		{
			name:   "missing file",
			setup:  func() { require.NoError(t, os.RemoveAll(ini)) },
			status: http.StatusInternalServerError,
			body:   name + ": The file was not found. (error 2)",
		},
		{
			name:   "file with variables",
			setup:  func() { require.NoError(t, os.WriteFile(ini, []byte(`%LEGACY_ROOT%\logs;%LEGACY_UNSET%`), 0o644)) },
			status: http.StatusOK,
			body:   `setting=/srv/site\logs;%LEGACY_UNSET% file=` + name + " exists=1",
		},
		{
			name:   "a directory in its place",
			setup:  func() { require.NoError(t, os.Remove(ini)); require.NoError(t, os.Mkdir(ini, 0o755)) },
			status: http.StatusInternalServerError,
			body:   name + ": Access is denied. (error 5)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			resp, err := http.Get(srv.URL + "/legacyconfig")
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.body, string(body))
		})
	}
}
