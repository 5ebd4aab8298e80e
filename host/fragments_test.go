package host_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestFragmentCache: fragments stored from memory or a file range are read back, sent by name
// (whole or a byte range) and removed; missing names, short buffers and ranges past the end
// get their HRESULTs.
func TestFragmentCache(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "page.html"), []byte("<p>cached page</p>"), 0o644))
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root},
		hosttest.Module{Name: "Fragments", Image: hosttest.Build(t, "testdata/modules/fragments.cpp")})
	steps := []struct{ query, want string }{
		{"op=read&name=hello&size=10", "read=0x80070490 copied=0 text="},
		{"op=add&name=hello&text=hello_world", "add=0x00000000"},
		{"op=read&name=hello&size=64", "read=0x00000000 copied=11 text=hello_world"},
		{"op=read&name=hello&size=4", "read=0x8007007A copied=11 text="},
		{"op=send&name=hello", "hello_world"},
		{"op=send&name=hello&offset=6&length=eof", "world"},
		{"op=send&name=hello&offset=0&length=5", "hello"},
		{"op=send&name=hello&offset=6&length=9", "send=0x80070026"},
		{"op=add&name=hello&text=replaced", "add=0x00000000"},
		{"op=send&name=hello", "replaced"},
		{"op=addfile&name=page&file=page.html", "addfile=0x00000000"},
		{"op=send&name=page&offset=3&length=6", "cached"},
		{"op=addfile&name=none&file=missing.html", "addfile=0x80070006"},
		{"op=remove&name=hello", "remove=0x00000000"},
		{"op=remove&name=hello", "remove=0x80070490"},
		{"op=send&name=hello", "send=0x80070490"},
	}
	for _, s := range steps {
		resp, body := fetch(t, http.MethodGet, srv.URL+"/frag?"+s.query)
		assert.Equal(t, http.StatusOK, resp.StatusCode, s.query)
		assert.Equal(t, s.want, body, s.query)
	}
}
