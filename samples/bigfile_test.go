package samples_test

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// marks records the bytes found at chosen offsets of a stream, keeping nothing else.
type marks struct {
	at   map[int64]byte
	seen map[int64]byte
	pos  int64
}

func (m *marks) Write(p []byte) (int, error) {
	for off := range m.at {
		if off >= m.pos && off < m.pos+int64(len(p)) {
			m.seen[off] = p[off-m.pos]
		}
	}
	m.pos += int64(len(p))
	return len(p), nil
}

// vmRSS is the process's resident memory in KiB, from /proc/self/status.
func vmRSS(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	require.NoError(t, err)
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			require.NoError(t, err)
			return kb
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}

func TestBigFile(t *testing.T) {
	const size = 256 << 20
	root := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(root, "big"), 0o755))
	path := filepath.Join(root, "big", "sparse.bin")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(size)) // sparse: no disk, no page cache to speak of
	want := map[int64]byte{0: 'A', 1 << 20: 'B', 200 << 20: 'C', size - 1: 'Z', 12345: 0}
	for off, b := range want {
		if b != 0 {
			_, err := f.WriteAt([]byte{b}, off)
			require.NoError(t, err)
		}
	}
	require.NoError(t, f.Close())

	srv := hosttest.ServeWith(t, hosttest.Options{Root: root},
		hosttest.Module{Name: "BigFile", Image: hosttest.Build(t, "samples/bigfile/big_file.cpp")})

	t.Run("streams with constant memory", func(t *testing.T) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rssBefore := vmRSS(t)

		resp, err := http.Get(srv.URL + "/big/sparse.bin")
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, int64(size), resp.ContentLength)
		assert.Equal(t, "application/octet-stream", resp.Header.Get("Content-Type"))
		m := &marks{at: want, seen: map[int64]byte{}}
		n, err := io.Copy(m, resp.Body)
		require.NoError(t, err)

		runtime.ReadMemStats(&after)
		rssAfter := vmRSS(t)
		assert.Equal(t, int64(size), n)
		assert.Equal(t, want, m.seen)
		// Allocation and resident memory, not timing: both sides of the download live in this
		// process, and neither may grow with the file (256 MiB).
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "bytes allocated during the download")
		assert.Less(t, rssAfter-rssBefore, int64(32<<10), "KiB of resident memory gained")
	})

	t.Run("HEAD", func(t *testing.T) {
		resp, err := http.Head(srv.URL + "/big/sparse.bin")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, int64(size), resp.ContentLength)
	})

	for _, p := range []string{"/big/absent.bin", "/big/"} {
		t.Run("404 "+p, func(t *testing.T) {
			resp, err := http.Get(srv.URL + p)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, 404, resp.StatusCode)
		})
	}
}
