package cabi

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/iishost/iishost/include"
	"github.com/iishost/iishost/internal/cabi/headers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go's build cache keys a cgo package on its own folder's files only. The bridge's C++ packages
// therefore take every header from the two folders whose Go packages embed them (headers/ and
// the repo's include/), and import both packages; these tests hold that, so that a header edit
// can never leave a stale binary.

var includeLine = regexp.MustCompile(`^\s*#\s*include\s*([<"])([^>"]+)[>"]`)

// headerDir is a folder the C++ packages search (-I) and the embedded copy of its headers.
type headerDir struct {
	dir   string
	files fs.FS
}

// untrackedIncludes lists, for every C/C++/assembly/header file under the given folders, each
// include that resolves to a file outside the embedded header sets: a quoted include must
// resolve (in the including file's folder, then the -I folders, as the compiler searches) to an
// embedded file; an angle-bracket include that resolves in an -I folder must too (one that does
// not is a system header).
func untrackedIncludes(t *testing.T, dirs []string, search []headerDir) []string {
	var bad []string
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			if e.IsDir() || !slices.Contains([]string{".c", ".cpp", ".S", ".h"}, filepath.Ext(e.Name())) {
				continue
			}
			path := filepath.Join(dir, e.Name())
			f, err := os.Open(path)
			require.NoError(t, err)
			lines := bufio.NewScanner(f)
			for n := 1; lines.Scan(); n++ {
				m := includeLine.FindStringSubmatch(lines.Text())
				if m == nil {
					continue
				}
				if problem := resolveInclude(dir, m[1] == `"`, m[2], search); problem != "" {
					bad = append(bad, path+":"+strconv.Itoa(n)+": "+m[2]+": "+problem)
				}
			}
			require.NoError(t, lines.Err())
			f.Close()
		}
	}
	return bad
}

// resolveInclude says what is wrong with one include, or "" when it is tracked or a system header.
func resolveInclude(from string, quoted bool, name string, search []headerDir) string {
	candidates := search
	if quoted {
		candidates = append([]headerDir{{dir: from}}, search...)
	}
	for _, c := range candidates {
		path := filepath.Join(c.dir, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		for _, s := range search {
			rel, err := filepath.Rel(s.dir, path)
			if err != nil || !filepath.IsLocal(rel) {
				continue
			}
			if _, err := fs.Stat(s.files, filepath.ToSlash(rel)); err == nil {
				return ""
			}
		}
		return "resolves to " + path + ", which no embedded header set holds (move it to internal/cabi/headers)"
	}
	if quoted {
		return "not found in " + from + " or the -I folders"
	}
	return ""
}

// cxxPackages lists the folders under internal/cabi that hold C, C++ or assembly files.
func cxxPackages(t *testing.T) []string {
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "testdata" || e.Name() == "headers" {
			continue
		}
		for _, pattern := range []string{"*.c", "*.cpp", "*.S"} {
			if m, _ := filepath.Glob(filepath.Join(e.Name(), pattern)); len(m) > 0 {
				dirs = append(dirs, e.Name())
				break
			}
		}
	}
	require.NotEmpty(t, dirs)
	return dirs
}

func bridgeSearch() []headerDir {
	return []headerDir{{dir: "headers", files: headers.Files}, {dir: filepath.Join("..", "..", "include"), files: include.Files}}
}

func TestIncludesAreTracked(t *testing.T) {
	dirs := append(cxxPackages(t), "headers", filepath.Join("..", "..", "include"), filepath.Join("..", "..", "include", "iishost"))
	assert.Empty(t, untrackedIncludes(t, dirs, bridgeSearch()))
}

// TestCxxPackagesImportHeaders checks every C++ package (and this one, whose cgo preambles include
// bridge.h) imports both header packages, without which their edits would not rebuild it.
func TestCxxPackagesImportHeaders(t *testing.T) {
	for _, dir := range append(cxxPackages(t), ".") {
		imports := map[string]bool{}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				imports[path] = true
			}
		}
		for _, want := range []string{"github.com/iishost/iishost/include", "github.com/iishost/iishost/internal/cabi/headers"} {
			assert.True(t, imports[want], "%s does not import %s", dir, want)
		}
	}
}

// TestUntrackedIncludesFindsStrays shows the check failing: a header kept beside the C++ file
// that includes it, one the embed does not hold, and one that is missing.
func TestUntrackedIncludesFindsStrays(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		path := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	write("response/a.cpp", "#include \"shared.h\"\n#include <vector>\n#include \"local.h\"\n")
	write("response/b.cpp", "  #  include \"new.h\"\n#include \"gone.h\"\n")
	write("response/local.h", "")
	write("headers/shared.h", "")
	write("headers/new.h", "") // on disk, but not in the embedded set below
	search := []headerDir{{dir: filepath.Join(root, "headers"), files: fstest.MapFS{"shared.h": {}}}}
	bad := untrackedIncludes(t, []string{filepath.Join(root, "response")}, search)
	require.Len(t, bad, 3, "%q", bad)
	assert.Contains(t, bad[0], "a.cpp:3: local.h: resolves to")
	assert.Contains(t, bad[1], "b.cpp:1: new.h: resolves to")
	assert.Contains(t, bad[2], "b.cpp:2: gone.h: not found")
}
