//go:build linux

package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeGoRun lays out a program the way go run links it, WORK/b001/exe/iishost, whose
// modification time is the folder's birth plus took.
func fakeGoRun(t *testing.T, work string, took time.Duration) string {
	t.Helper()
	require.NoError(t, os.Mkdir(work, 0o755))
	var born time.Time
	if info, err := os.Stat(work); assert.NoError(t, err) {
		born = info.ModTime() // made just now: its birth, to the file system's resolution
	}
	exe := filepath.Join(work, "b001", "exe", "iishost")
	require.NoError(t, os.MkdirAll(filepath.Dir(exe), 0o755))
	require.NoError(t, os.WriteFile(exe, nil, 0o755))
	require.NoError(t, os.Chtimes(exe, born.Add(took), born.Add(took)))
	return exe
}

func TestGoRunBuild(t *testing.T) {
	exe := fakeGoRun(t, filepath.Join(t.TempDir(), "go-build123"), 61*time.Second)
	took, ok := goRunBuild(exe)
	if !ok {
		t.Skip("this file system keeps no birth time")
	}
	assert.InDelta(t, 61.0, took.Seconds(), 1, "the program's modification time less the work folder's birth")

	t.Run("not built by go run", func(t *testing.T) {
		_, ok := goRunBuild(fakeGoRun(t, filepath.Join(t.TempDir(), "build123"), time.Minute))
		assert.False(t, ok, "a work folder not named go-build*")
		exe := filepath.Join(t.TempDir(), "go-build1", "b002", "exe", "iishost")
		require.NoError(t, os.MkdirAll(filepath.Dir(exe), 0o755))
		require.NoError(t, os.WriteFile(exe, nil, 0o755))
		_, ok = goRunBuild(exe)
		assert.False(t, ok, "go run links the program in b001")
		_, ok = goRunBuild("/usr/local/bin/iishost")
		assert.False(t, ok, "an installed program")
	})
}
