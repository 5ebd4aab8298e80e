package benchutil

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteSection checks that sections from different commands share one report: each run
// rewrites its own section only, and markers out of order are refused rather than guessed at.
func TestWriteSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "performance.md")
	require.NoError(t, WriteSection(path, "benchcpu", "cpu one"))
	require.NoError(t, WriteSection(path, "benchpending", "pending one"))
	require.NoError(t, WriteSection(path, "benchcpu", "cpu two\n"))

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(data)
	assert.True(t, strings.HasPrefix(text, "# Performance\n"), "a new report starts with its header")
	assert.NotContains(t, text, "cpu one")
	assert.Contains(t, text, "<!-- benchcpu:begin -->\ncpu two\n<!-- benchcpu:end -->")
	assert.Contains(t, text, "<!-- benchpending:begin -->\npending one\n<!-- benchpending:end -->")
	assert.Less(t, strings.Index(text, "benchcpu:begin"), strings.Index(text, "benchpending:begin"), "a rewritten section keeps its place")
	assert.Equal(t, 1, strings.Count(text, "<!-- benchcpu:begin -->"))

	bad := filepath.Join(t.TempDir(), "bad.md")
	require.NoError(t, os.WriteFile(bad, []byte("<!-- benchcpu:end -->\nx\n<!-- benchcpu:begin -->\n"), 0o644))
	assert.ErrorContains(t, WriteSection(bad, "benchcpu", "y"), "not one begin followed by one end")
	kept, err := os.ReadFile(bad)
	require.NoError(t, err)
	assert.Equal(t, "<!-- benchcpu:end -->\nx\n<!-- benchcpu:begin -->\n", string(kept), "a refused write leaves the file alone")
}

func TestMachine(t *testing.T) {
	m := Machine(time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC))
	assert.Contains(t, m, "2026-12-07 16:00 UTC")
	assert.Contains(t, m, "Processors online (nproc --all): ")
	assert.GreaterOrEqual(t, OnlineCPUs(), runtime.NumCPU(), "affinity never hides a processor from the count")
	assert.Contains(t, m, "Go: go")
}
