package hosttest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iishost/iishost/internal/modbuild"
)

// BuildOptions adjust how BuildWith compiles a module.
type BuildOptions struct {
	Config string   // a project's "Configuration|Platform"; default Release|x64
	Def    string   // a module-definition file whose EXPORTS are all the module exports
	Flags  []string // more compiler flags
}

var (
	buildMu    sync.Mutex
	buildCache = map[string]string{} // build key -> library
	buildNames = map[string]bool{}   // library file names given out
	buildDir   string
)

// iishostRoot is the iishost tree this package was built from: it holds include/.
func iishostRoot(t testing.TB) string {
	t.Helper()
	root, err := modbuild.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Build compiles a module once per test process and returns the shared library's path. The
// sources are C/C++ files, folders of them, or one Visual Studio project (.vcxproj, built as
// Release|x64), as `iishost build` takes them. A relative path is looked up in the test's working
// directory, then in the iishost tree (for its samples and fixtures). IISHOST_MODULE_CFLAGS adds
// compiler flags (sanitizers, for example). The compiler's warnings go to the test's log.
func Build(t testing.TB, sources ...string) string {
	t.Helper()
	return BuildWith(t, BuildOptions{}, sources...)
}

// BuildWith is Build with options.
func BuildWith(t testing.TB, opts BuildOptions, sources ...string) string {
	t.Helper()
	if len(sources) == 0 {
		t.Fatal("hosttest.Build: no source named")
	}
	root := iishostRoot(t)
	sources = append([]string{}, sources...)
	for i, src := range sources {
		sources[i] = locate(root, src)
	}
	if opts.Def != "" {
		opts.Def = locate(root, opts.Def)
	}
	key := fmt.Sprintf("%q %+v", sources, opts)
	buildMu.Lock()
	defer buildMu.Unlock()
	if so, ok := buildCache[key]; ok {
		return so
	}
	if buildDir == "" {
		dir, err := os.MkdirTemp("", "iishost-modules-")
		if err != nil {
			t.Fatal(err)
		}
		buildDir = dir
	}
	out := libraryName(sources[0])
	var log bytes.Buffer
	err := modbuild.Build(modbuild.Options{Root: root, Inputs: sources, Out: out, Config: opts.Config, Def: opts.Def, Flags: opts.Flags, Log: &log})
	if log.Len() > 0 {
		t.Logf("building %s:\n%s", strings.Join(sources, " "), log.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	buildCache[key] = out
	return out
}

// locate finds a relative path in the working directory, else in the iishost tree.
func locate(root, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	if abs, err := filepath.Abs(path); err == nil {
		if _, err := os.Stat(abs); err == nil {
			return abs
		}
	}
	return filepath.Join(root, path)
}

// libraryName is a new file in the build folder, named after the first source and its folder.
// Called with buildMu held.
func libraryName(source string) string {
	name := strings.TrimSuffix(filepath.Base(source), filepath.Ext(source))
	base := filepath.Base(filepath.Dir(source)) + "-" + name
	file := base + ".so"
	for n := 2; buildNames[file]; n++ {
		file = fmt.Sprintf("%s-%d.so", base, n)
	}
	buildNames[file] = true
	return filepath.Join(buildDir, file)
}

// Cleanup removes the build folder; call it from TestMain after m.Run.
func Cleanup() {
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}
