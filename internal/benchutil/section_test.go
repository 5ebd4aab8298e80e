package benchutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriteSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "performance.md")

	require.NoError(t, WriteSection(path, "a", "first"))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, reportHeader+"\n<!-- a:begin -->\nfirst\n<!-- a:end -->\n", string(got), "a new file starts with the header")

	// Another section is appended after the first; rewriting one leaves the other and the
	// text around them as they were.
	require.NoError(t, os.WriteFile(path, []byte("# Title\n\n<!-- a:begin -->\nfirst\n<!-- a:end -->\n"), 0o644))
	require.NoError(t, WriteSection(path, "b", "second\n"))
	require.NoError(t, WriteSection(path, "a", "replaced\nover two lines\n"))
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "# Title\n\n<!-- a:begin -->\nreplaced\nover two lines\n<!-- a:end -->\n\n<!-- b:begin -->\nsecond\n<!-- b:end -->\n", string(got))
}

func TestWriteSectionRefusesBrokenMarkers(t *testing.T) {
	for name, text := range map[string]string{
		"end missing":   "<!-- a:begin -->\nx\n",
		"begin missing": "x\n<!-- a:end -->\n",
		"out of order":  "<!-- a:end -->\nx\n<!-- a:begin -->\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "performance.md")
			require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
			require.ErrorContains(t, WriteSection(path, "a", "new"), `the "a" section's markers`)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, text, string(got), "a refused write leaves the file alone")
		})
	}
}

func TestProcessTreeFindsChildren(t *testing.T) {
	child := exec.Command("sleep", "30")
	require.NoError(t, child.Start())
	defer Stop(child)
	pids := ProcessTree(os.Getpid())
	require.Equal(t, os.Getpid(), pids[0])
	require.Contains(t, pids, child.Process.Pid)
	_, err := CPUTicks(pids...)
	require.NoError(t, err)
}

func TestCPUTicksNamesAMissingProcess(t *testing.T) {
	_, err := CPUTicks(1 << 30)
	require.ErrorContains(t, err, "/proc/1073741824/stat")
}
