package host_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// TestRequestTimes: the start time is fixed when the request enters the pipeline, on
// GetTickCount64's clock, and the elapsed time grows with it; GetAppPoolConfigFile names the
// configuration file the host read.
func TestRequestTimes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "applicationHost.config")
	require.NoError(t, os.WriteFile(path, []byte("<configuration/>"), 0o644))
	cfg, err := host.LoadConfig(path)
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg}, hosttest.Module{Name: "Time", Image: hosttest.Build(t, "testdata/modules/reqtime.cpp")})
	_, body := getOK(t, srv.URL+"/")
	assert.Equal(t, "start<=now=1 same-start=1 grew=1 config="+cfg.Source+" len-ok=1", body)
	assert.Equal(t, path, cfg.Source)
}
