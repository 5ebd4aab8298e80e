// Package compattest builds and runs the Windows-compatibility programs in testdata/compat with
// every C and C++ compiler present: each program checks the behaviour porters rely on and
// prints PASS as its last line.
package compattest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const root = "../.."

func compilersFor(ext string) []string {
	names := []string{"gcc", "clang"}
	std := "-std=c11"
	if ext == ".cpp" {
		names, std = []string{"g++", "clang++"}, "-std=c++17"
	}
	var out []string
	for _, n := range names {
		if _, err := exec.LookPath(n); err == nil {
			out = append(out, n+" "+std)
		}
	}
	return out
}

func TestCompatPrograms(t *testing.T) {
	sources, err := filepath.Glob(filepath.Join(root, "testdata", "compat", "*.c*"))
	require.NoError(t, err)
	require.NotEmpty(t, sources, "no compatibility programs found")
	for _, src := range sources {
		ext := filepath.Ext(src)
		if ext != ".c" && ext != ".cpp" {
			continue
		}
		for _, cc := range compilersFor(ext) {
			t.Run(filepath.Base(src)+"/"+strings.Fields(cc)[0], func(t *testing.T) {
				t.Parallel()
				exe := filepath.Join(t.TempDir(), "prog")
				args := append(strings.Fields(cc)[1:], "-Wall", "-Wextra", "-Werror", "-I", filepath.Join(root, "include"), "-o", exe, src, "-lpthread")
				out, err := exec.Command(strings.Fields(cc)[0], args...).CombinedOutput()
				require.NoError(t, err, "%s", out)
				cmd := exec.Command(exe)
				cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
				out, err = cmd.CombinedOutput()
				require.NoError(t, err, "%s", out)
				lines := strings.Split(strings.TrimSpace(string(out)), "\n")
				require.Equal(t, "PASS", lines[len(lines)-1], "%s", out)
			})
		}
	}
}
