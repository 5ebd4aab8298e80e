package host_test

import (
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestDllMain: a module's DllMain gets DLL_PROCESS_ATTACH once per process, however many
// hosts load it, with an hModule that GetModuleFileNameW, GetModuleHandleEx and GetProcAddress
// agree on; no other reason is ever sent.
func TestDllMain(t *testing.T) {
	image := hosttest.Build(t, "testdata/modules/dllmain.cpp")
	want := "attach=1 other=0 file=" + filepath.Base(image) + " same=1 proc=1"
	for range 2 {
		srv := hosttest.Serve(t, hosttest.Module{Name: "DllMain", Image: image})
		resp, err := http.Get(srv.URL + "/dllmain")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, string(body))
	}
}
