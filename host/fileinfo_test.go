package host_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// fileInfoSite makes a site root with data.txt, big.bin (300 KiB: over the 256 KiB buffer
// limit) and a folder sub/, and points fileinfo.cpp's cache log at a new file, whose lines
// the returned function reads. t.Setenv rules out t.Parallel.
func fileInfoSite(t *testing.T) (string, func() []string) {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "data.txt"), []byte(fileChunkData), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "big.bin"), patterned(300*1024), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(root, "sub"), 0o755))
	logPath := filepath.Join(t.TempDir(), "cache.log")
	t.Setenv("IISHOST_CACHE_LOG", logPath)
	return root, func() []string {
		data, err := os.ReadFile(logPath)
		if os.IsNotExist(err) {
			return nil
		}
		require.NoError(t, err)
		return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
}

func fileInfoServer(t *testing.T, root string) *hosttest.Server {
	t.Helper()
	return hosttest.ServeWith(t, hosttest.Options{Root: root, CacheCleanupInterval: -1},
		hosttest.Module{Name: "FileInfo", Image: hosttest.Build(t, "testdata/modules/fileinfo.cpp")})
}

// expectedInfo is what /info reports for a file, computed from os.Stat as the host documents
// it: a quoted "<FILETIME hex>:<size hex>" ETag, the RFC 1123 date, FILETIME ticks since 1601.
func expectedInfo(t *testing.T, path, attributes, buffer string, hasBuffer bool, handle string) string {
	t.Helper()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	size := fi.Size()
	if fi.IsDir() {
		size = 0
	}
	ticks := uint64(fi.ModTime().UnixNano()/100) + 116444736000000000
	etag := fmt.Sprintf("\"%x:%x\"", ticks, size)
	has := "0"
	if hasBuffer {
		has = "1"
	}
	return strings.Join([]string{
		"hr=0x00000000",
		"attributes=" + attributes,
		fmt.Sprintf("size=%d", size),
		"buffer=" + buffer,
		"hasbuffer=" + has,
		"handle=" + handle,
		"path=" + path,
		fmt.Sprintf("etag=%s len=%d", etag, len(etag)),
		"lastmodified=" + fi.ModTime().UTC().Format(http.TimeFormat),
		fmt.Sprintf("filetime=%d", ticks),
		"cacheallowed=0 ttl=0",
		"key=FILE same",
		"flushed=0 changed=0",
		"accesscheck=0x80004001",
		"",
	}, "\n")
}

func TestFileInfoMethods(t *testing.T) {
	root, _ := fileInfoSite(t)
	srv := fileInfoServer(t, root)
	tests := []struct {
		name, query, want string
	}{
		{"small file", "file=data.txt", expectedInfo(t, filepath.Join(root, "data.txt"), "0x00000080", fileChunkData, true, "valid")},
		{"uncached", "file=data.txt&cache=0", expectedInfo(t, filepath.Join(root, "data.txt"), "0x00000080", fileChunkData, true, "valid")},
		{"over the buffer limit", "file=big.bin", expectedInfo(t, filepath.Join(root, "big.bin"), "0x00000080", "(null)", false, "valid")},
		{"folder", "file=sub", expectedInfo(t, filepath.Join(root, "sub"), "0x00000010", "(null)", false, "invalid")},
		{"missing file", "file=absent.txt", "hr=0x80070002\n"},
		{"missing folder", "file=nodir/absent.txt", "hr=0x80070003\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, "GET", srv.URL+"/info?"+tt.query)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, tt.want, body)
		})
	}
}

func TestFileInfoReadOnlyAttribute(t *testing.T) {
	root, _ := fileInfoSite(t)
	require.NoError(t, os.Chmod(filepath.Join(root, "data.txt"), 0o444))
	_, body := fetch(t, "GET", fileInfoServer(t, root).URL+"/info?file=data.txt")
	assert.Contains(t, body, "\nattributes=0x00000001\n")
}

func TestFileInfoHandleInChunk(t *testing.T) {
	root, _ := fileInfoSite(t)
	_, body := fetch(t, "GET", fileInfoServer(t, root).URL+"/info?file=big.bin&send=1")
	want := expectedInfo(t, filepath.Join(root, "big.bin"), "0x00000080", "(null)", false, "valid") + string(patterned(300*1024))
	assert.Equal(t, want, body, "the info's handle serves a file chunk after the module released the info")
}

func TestFileInfoTTLAndFlushed(t *testing.T) {
	root, _ := fileInfoSite(t)
	_, body := fetch(t, "GET", fileInfoServer(t, root).URL+"/ttl?file=data.txt")
	assert.Equal(t, "expired=0,1,1;after-reset=0;flushed=1", body)
}

func TestContextGetFileInfo(t *testing.T) {
	root, _ := fileInfoSite(t)
	srv := fileInfoServer(t, root)
	_, body := fetch(t, "GET", srv.URL+"/data.txt?ctx=1")
	assert.Equal(t, "ctx size=16 path="+filepath.Join(root, "data.txt"), body)
	_, body = fetch(t, "GET", srv.URL+"/nothing-here?ctx=1")
	assert.Equal(t, "ctx none", body)
}

// changeFile rewrites data.txt with new content and a different modification time.
func changeFile(t *testing.T, root, content string) {
	t.Helper()
	path := filepath.Join(root, "data.txt")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	later := time.Now().Add(time.Hour)
	require.NoError(t, os.Chtimes(path, later, later))
}

func TestFileCacheOperations(t *testing.T) {
	root, lines := fileInfoSite(t)
	srv := fileInfoServer(t, root)

	_, body := fetch(t, "GET", srv.URL+"/info?file=data.txt")
	assert.Contains(t, body, "\nsize=16\n")
	_, body = fetch(t, "GET", srv.URL+"/info?file=data.txt")
	assert.Contains(t, body, "\nsize=16\n")
	_, _ = fetch(t, "GET", srv.URL+"/info?file=data.txt&cache=0")
	assert.Equal(t, []string{
		"op=1 FILE data.txt record=1", // CACHE_OPERATION_ADD on the first use
		"op=0 FILE data.txt record=1", // CACHE_OPERATION_RETRIEVE: a cache hit
	}, lines(), "an uncached GetFileInfo does not touch the cache")

	// A file that changed is not served from the cache: its entry is flushed and replaced.
	_, body = fetch(t, "GET", srv.URL+"/hold?file=data.txt")
	require.Equal(t, "held", body)
	changeFile(t, root, "changed")
	_, body = fetch(t, "GET", srv.URL+"/info?file=data.txt")
	assert.Contains(t, body, "\nsize=7\nbuffer=changed\n")
	_, body = fetch(t, "GET", srv.URL+"/held")
	assert.Equal(t, "flushed=1 changed=1", body, "a module holding the old entry sees it flushed")
	assert.Equal(t, []string{
		"op=1 FILE data.txt record=1",
		"op=0 FILE data.txt record=1",
		"op=0 FILE data.txt record=1", // /hold
		"op=2 FILE data.txt record=1", // CACHE_OPERATION_DELETE of the stale entry
		"op=1 FILE data.txt record=1", // and the new one added
	}, lines())
}

func TestDoCacheOperation(t *testing.T) {
	root, lines := fileInfoSite(t)
	srv := fileInfoServer(t, root)
	steps := []struct{ query, want string }{
		{"file=data.txt&op=0", "hr=0x80070490 found=0"}, // not cached yet: ERROR_NOT_FOUND
		{"file=data.txt&op=1", "hr=0x80004001 found=0"}, // ADD of a record the host did not make
		{"file=data.txt&op=4", "hr=0x80004001 found=0"}, // ENUM
	}
	for _, s := range steps {
		_, body := fetch(t, "GET", srv.URL+"/docache?"+s.query)
		assert.Equal(t, s.want, body, s.query)
	}
	fetch(t, "GET", srv.URL+"/info?file=data.txt")
	fetch(t, "GET", srv.URL+"/info?file=big.bin")
	steps = []struct{ query, want string }{
		{"file=data.txt&op=0", "hr=0x00000000 found=1"},
		{"file=data.txt&op=2", "hr=0x00000000 found=0"},
		{"file=data.txt&op=2", "hr=0x80070490 found=0"},
		{"file=data.txt&op=0", "hr=0x80070490 found=0"},
		{"file=&op=3", "hr=0x00000000 found=0"}, // FLUSH_PREFIX of the site root's folder
		{"file=big.bin&op=0", "hr=0x80070490 found=0"},
	}
	for _, s := range steps {
		_, body := fetch(t, "GET", srv.URL+"/docache?"+s.query)
		assert.Equal(t, s.want, body, s.query)
	}
	assert.Equal(t, []string{
		"op=1 FILE data.txt record=1",
		"op=1 FILE big.bin record=1",
		"op=0 FILE data.txt record=1",
		"op=2 FILE data.txt record=1",
		"op=3 FILE big.bin record=1",
	}, lines())
}

func TestCacheCleanupAtShutdown(t *testing.T) {
	root, lines := fileInfoSite(t)
	srv, _, err := hosttest.Start(t, hosttest.Options{Root: root, CacheCleanupInterval: -1},
		hosttest.Module{Name: "FileInfo", Image: hosttest.Build(t, "testdata/modules/fileinfo.cpp")})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/info?file=data.txt", nil))
	require.Contains(t, w.Body.String(), "hr=0x00000000\n")
	require.NoError(t, srv.Close())
	assert.Equal(t, []string{"op=1 FILE data.txt record=1", "cleanup", "terminate"}, lines(),
		"one scavenger round before Terminate; the entry, used one round ago, stays")
}

func TestCacheCleanupTimer(t *testing.T) {
	root, lines := fileInfoSite(t)
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root, CacheCleanupInterval: time.Millisecond},
		hosttest.Module{Name: "FileInfo", Image: hosttest.Build(t, "testdata/modules/fileinfo.cpp")})
	fetch(t, "GET", srv.URL+"/info?file=data.txt")
	// Unused for two rounds, the entry expires: DELETE, then the rounds go on (CLEANUP each).
	// The wait is a hang guard only; what is asserted is the order of events.
	require.Eventually(t, func() bool {
		got := lines()
		for i, l := range got {
			if l == "op=2 FILE data.txt record=1" {
				return i+1 < len(got) && got[i+1] == "cleanup"
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond)
	// Cleanup rounds may come before the request; the first cache operation is its add.
	var ops []string
	for _, l := range lines() {
		if strings.HasPrefix(l, "op=") {
			ops = append(ops, l)
		}
	}
	require.NotEmpty(t, ops)
	assert.Equal(t, "op=1 FILE data.txt record=1", ops[0])
}
