package compattest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKernelObjectsAcrossUnits links testdata/compat/kobj_tu (a C and a C++ translation unit,
// built with -fvisibility=hidden as modules are) into one program: a handle made in one unit
// works in the other, and ExitThread or DuplicateHandle(GetCurrentThread()) called in one unit
// finds the thread CreateThread started in the other.
func TestKernelObjectsAcrossUnits(t *testing.T) {
	dir := filepath.Join(root, "testdata", "compat", "kobj_tu")
	for _, pair := range [][2]string{{"gcc", "g++"}, {"clang", "clang++"}} {
		if _, err := exec.LookPath(pair[0]); err != nil {
			continue
		}
		if _, err := exec.LookPath(pair[1]); err != nil {
			continue
		}
		t.Run(pair[0], func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			flags := []string{"-fvisibility=hidden", "-Wall", "-Wextra", "-Werror", "-I", filepath.Join(root, "include"), "-c"}
			steps := [][]string{
				append([]string{pair[0], "-std=c11"}, append(flags, filepath.Join(dir, "main.c"), "-o", filepath.Join(tmp, "main.o"))...),
				append([]string{pair[1], "-std=c++17"}, append(flags, filepath.Join(dir, "other.cpp"), "-o", filepath.Join(tmp, "other.o"))...),
				{pair[1], filepath.Join(tmp, "main.o"), filepath.Join(tmp, "other.o"), "-o", filepath.Join(tmp, "prog"), "-lpthread"},
			}
			for _, step := range steps {
				out, err := exec.Command(step[0], step[1:]...).CombinedOutput()
				require.NoError(t, err, "%s\n%s", strings.Join(step, " "), out)
			}
			out, err := exec.Command(filepath.Join(tmp, "prog")).CombinedOutput()
			require.NoError(t, err, "%s", out)
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			require.Equal(t, "PASS", lines[len(lines)-1], "%s", out)
		})
	}
}
