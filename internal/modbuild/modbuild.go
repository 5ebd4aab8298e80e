// Package modbuild compiles IIS modules into shared libraries with the system compiler. It is the
// one implementation behind `iishost build` and hosttest.Build (docs/design.md §16): sources,
// folders or Visual Studio projects, read and included as MSVC on Windows would.
package modbuild

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// RepoRoot finds the repository root (the folder holding go.mod and include/httpserv.h) at or
// above dir.
func RepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "include", "httpserv.h")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the iishost repository (no go.mod with include/httpserv.h above this folder)")
		}
		dir = parent
	}
}

// modulePath is iishost's Go module path, which `go list -m` resolves to its tree.
const modulePath = "github.com/iishost/iishost"

// Tree is the iishost tree this program was built from (a checkout, or the module cache for
// programs that import iishost), else the one the working directory is in, else the one the
// working directory's Go module requires (for programs built with -trimpath, whose source
// paths name no folder).
func Tree() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok {
		if root, err := RepoRoot(filepath.Dir(file)); err == nil {
			return root, nil
		}
	}
	root, err := RepoRoot(".")
	if err == nil {
		return root, nil
	}
	if root, listErr := requiredTree("."); listErr == nil {
		return root, nil
	}
	return "", fmt.Errorf("finding iishost's include/: %w; nor does `go list -m %s` name its folder here", err, modulePath)
}

// requiredTree is the iishost tree the Go module in dir requires, as `go list -m` resolves it
// (the module cache, or a replace directive's folder).
func requiredTree(dir string) (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", modulePath)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return RepoRoot(strings.TrimSpace(string(out)))
}

// BuildAll compiles each named source (name -> source path) into dir/<name>.so, in parallel.
func BuildAll(root, dir string, sources map[string]string, extraFlags ...string) error {
	var wg sync.WaitGroup
	errs := make([]error, 0, len(sources))
	var mu sync.Mutex
	sem := make(chan struct{}, 4)
	for name, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := Options{Root: root, Inputs: []string{src}, Out: filepath.Join(dir, name+".so"), Flags: extraFlags}
			if err := Build(o); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Samples maps each sample's folder name to its single source file.
func Samples(root string) (map[string]string, error) {
	out := map[string]string{}
	matches, err := filepath.Glob(filepath.Join(root, "samples", "*", "*.c*"))
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		ext := filepath.Ext(m)
		if ext != ".c" && ext != ".cpp" {
			continue
		}
		out[filepath.Base(filepath.Dir(m))] = m
	}
	return out, nil
}

// Fingerprint hashes the module sources, headers, scripts and Go code under the given folders, so
// a cache can tell when to rebuild.
func Fingerprint(dirs ...string) (string, error) {
	h := sha256.New()
	var files []string
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch filepath.Ext(p) {
			case ".c", ".cpp", ".h", ".sh", ".go":
			default:
				return nil
			}
			if !e.IsDir() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", f, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
