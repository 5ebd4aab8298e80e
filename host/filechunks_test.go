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

const fileChunkData = "0123456789abcdef"

// fileChunksServer serves filechunks.cpp over a site holding data.txt (fileChunkData) and
// big.bin (5000 bytes, byte i is i%251).
func fileChunksServer(t *testing.T) *hosttest.Server {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "data.txt"), []byte(fileChunkData), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "big.bin"), patterned(5000), 0o644))
	return hosttest.ServeWith(t, hosttest.Options{Root: root},
		hosttest.Module{Name: "FileChunks", Image: hosttest.Build(t, "testdata/modules/filechunks.cpp")})
}

func patterned(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

func fetch(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestFileChunkRanges(t *testing.T) {
	srv := fileChunksServer(t)
	big := string(patterned(5000))
	tests := []struct {
		name, query, body, sent string
	}{
		{"whole file", "file=data.txt&off=0&len=eof", "[" + fileChunkData + "]", "18"},
		{"middle", "file=data.txt&off=4&len=3", "[456]", "5"},
		{"to end from offset", "file=data.txt&off=10&len=eof", "[abcdef]", "8"},
		{"empty at end", "file=data.txt&off=16&len=eof", "[]", "2"},
		{"large", "file=big.bin&off=100&len=4000", "[" + big[100:4100] + "]", "4002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, "GET", srv.URL+"/range?"+tt.query)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, tt.body, body)
			assert.Equal(t, tt.sent, resp.Header.Get("X-Sent"))
			// A buffered final send reports the length, file bytes included.
			assert.Equal(t, int64(len(tt.body)), resp.ContentLength)
		})
	}
}

func TestFileChunkHead(t *testing.T) {
	resp, body := fetch(t, "HEAD", fileChunksServer(t).URL+"/range?file=big.bin&off=0&len=eof")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int64(5002), resp.ContentLength)
	assert.Empty(t, body)
}

func TestFileChunkErrors(t *testing.T) {
	resp, body := fetch(t, "GET", fileChunksServer(t).URL+"/errors?file=data.txt")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, strings.Join([]string{
		"ok",
		"pastend 0x80070026",       // HRESULT_FROM_WIN32(ERROR_HANDLE_EOF)
		"offpast 0x80070026",       //
		"badtype 0x80070057",       // E_INVALIDARG
		"fragment 0x80070057",      // a memory chunk relabelled: its "name" pointer is 0x1
		"nullbuf 0x80070057",       //
		"invalidhandle 0x80070006", // HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)
		"closedhandle 0x80070006",  //
		"dirhandle 0x80070006",     //
		"missing 0x80070002",       // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)
		"byref-index 0x80070057",   //
		"byref-null 0x80070057",    //
		"",
	}, "\n"), body)
}

func TestFileChunkRangeFailureStatus(t *testing.T) {
	resp, body := fetch(t, "GET", fileChunksServer(t).URL+"/range?file=data.txt&off=3&len=14")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "hr=0x80070026", body, "nothing of the failed call was kept")
}

func TestWriteEntityChunkByReference(t *testing.T) {
	_, body := fetch(t, "GET", fileChunksServer(t).URL+"/byref?file=data.txt")
	assert.Equal(t, "012BCDE", body, "insert positions, a file chunk, and memory read at send time")
}

func TestFileChunkStreaming(t *testing.T) {
	srv := fileChunksServer(t)
	for _, mode := range []string{"flush", "disable"} {
		t.Run(mode, func(t *testing.T) {
			resp, body := fetch(t, "GET", srv.URL+"/stream?file=data.txt&mode="+mode)
			assert.Equal(t, "<"+fileChunkData+">sent=1", body)
			assert.Equal(t, int64(-1), resp.ContentLength, "sent before the length was known")
			assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
		})
	}
}

func TestFileChunkSuppressedHeaders(t *testing.T) {
	resp, body := fetch(t, "GET", fileChunksServer(t).URL+"/raw?file=big.bin")
	assert.Equal(t, "1", resp.Header.Get("X-Raw"), "the module's own header block")
	assert.Equal(t, string(patterned(5000)), body)
}

// TestTrailersChunk: an HttpDataChunkTrailers chunk sets trailers, sent after the body; a bad
// one is refused and changes nothing.
func TestTrailersChunk(t *testing.T) {
	resp, body := fetch(t, "GET", fileChunksServer(t).URL+"/trailers?file=data.txt")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, fileChunkData+"|bad=0x80070057", body)
	assert.Equal(t, "abc", resp.Trailer.Get("X-Check"))
	assert.Equal(t, "2", resp.Trailer.Get("X-Count"))
}
