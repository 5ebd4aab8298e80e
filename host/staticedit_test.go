package host_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// A static file is a response like any other: bytes a module adds in or after RQ_SEND_RESPONSE
// reach the client, Content-Length counts them, and the connection stays usable.
func TestStaticFileResponseIsEditable(t *testing.T) {
	root := t.TempDir()
	big := strings.Repeat("0123456789", 100000) // 1 MB: a file chunk, not a copy
	require.NoError(t, os.WriteFile(filepath.Join(root, "page.txt"), []byte("static body"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "big.txt"), []byte(big), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "other.txt"), []byte("remapped body"), 0o644))
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root},
		hosttest.Module{Name: "StaticEdit", Image: hosttest.Build(t, "testdata/modules/staticedit.cpp")})

	// One connection for every request: a wrong Content-Length would break the next one, and a
	// closed connection would fail the next write or read.
	conn := rawDial(t, srv)
	tests := []struct {
		target, body, mapped string
	}{
		{"/page.txt", "static body", "1:/page.txt"},
		{"/page.txt?tail", "static body-TAIL", "1:/page.txt"},
		{"/page.txt?tail&late", "static body-LATE-TAIL", "1:/page.txt"}, // the buffered send follows RQ_LOG_REQUEST
		{"/big.txt?tail", big + "-TAIL", "1:/big.txt"},
		{"/page.txt?remap", "remapped body", "1:/page.txt"},
	}
	for _, tc := range tests {
		_, err := conn.Write([]byte(rawGet(tc.target)))
		require.NoError(t, err)
		r := rawReadOne(t, conn)
		assert.Equal(t, 200, r.status, tc.target)
		assert.Equal(t, len(tc.body), len(r.body), tc.target)
		assert.True(t, r.body == tc.body, tc.target)
		assert.Equal(t, strconv.Itoa(len(tc.body)), r.header.Get("Content-Length"), tc.target)
		assert.Equal(t, tc.mapped, r.header.Get("X-Map-Path"), "RQ_MAP_PATH is raised once for the request's URL: %s", tc.target)
		if strings.Contains(tc.target, "tail") {
			assert.Equal(t, "0x00000000", r.header.Get("X-Tail-Hr"))
		}
	}
}
