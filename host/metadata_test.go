package host_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/iishost/iishost/hosttest"
)

// TestMetadata: every URL has the site's configuration path and virtual root; its module
// contexts are one container shared by requests and by IHttpServer2::GetMetadata references.
func TestMetadata(t *testing.T) {
	root := t.TempDir()
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root}, hosttest.Module{Name: "Meta", Image: hosttest.Build(t, "testdata/modules/metadata.cpp")})
	for i, want := range []string{"seen=1|same=1", "seen=2|same=1"} {
		_, body := getOK(t, srv.URL+"/meta")
		assert.Equal(t, "MACHINE/WEBROOT/APPHOST/Default Web Site|"+root+"|"+want, body, "request %d", i+1)
	}
	tests := []struct{ name, query, body string }{
		{"site and URL", "site=Default+Web+Site&url=/app/page", "0x00000000 MACHINE/WEBROOT/APPHOST/Default Web Site|" + root},
		{"site name ignores case", "site=default+web+site&url=/", "0x00000000 MACHINE/WEBROOT/APPHOST/Default Web Site|" + root},
		{"unknown site", "site=Other&url=/", "0x80070490"},
		{"URL not a path", "site=Default+Web+Site&url=app", "0x80070057"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := getOK(t, srv.URL+"/ref?"+tt.query)
			assert.Equal(t, tt.body, body)
		})
	}
}

// TestUrlInfo: a URL's second hit within IIS's frequent-hit period (10 s) makes it frequently
// hit; each URL has its own context container, shared by its requests.
func TestUrlInfo(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Meta", Image: hosttest.Build(t, "testdata/modules/metadata.cpp")})
	steps := []struct{ path, body string }{
		{"/a", "frequent=0 seen=1 same=1"},
		{"/a", "frequent=1 seen=2 same=1"},
		{"/b", "frequent=0 seen=1 same=1"},
		{"/a", "frequent=1 seen=3 same=1"},
	}
	for _, s := range steps {
		_, body := getOK(t, srv.URL+s.path)
		assert.Equal(t, s.body, body, s.path)
	}
}
