package modbuild

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A program built with -trimpath has no source path to start from: the tree is found through
// the working directory's Go module, here one whose requirement is replaced by this tree.
func TestRequiredTreeFollowsTheGoModule(t *testing.T) {
	repo, err := RepoRoot(".")
	require.NoError(t, err)
	dir := t.TempDir()
	goMod := "module example.com/mymodule\n\ngo 1.25.0\n\nrequire " + modulePath + " v0.0.0\n\nreplace " + modulePath + " => " + repo + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	t.Setenv("GOFLAGS", "-mod=mod")
	got, err := requiredTree(dir)
	require.NoError(t, err)
	assert.Equal(t, repo, got)

	_, err = requiredTree(t.TempDir()) // no Go module there
	assert.Error(t, err)
}
