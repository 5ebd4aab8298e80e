package modbuild_test

import (
	"debug/elf"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

// The porting fixture, testdata/porting/greeter: a Visual Studio project whose module answers
// with what its build made of it. See Greeter.vcxproj.

func TestMain(m *testing.M) {
	code := m.Run()
	hosttest.Cleanup()
	os.Exit(code)
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := modbuild.Tree()
	require.NoError(t, err)
	return root
}

func greeterProject(t *testing.T) string {
	return filepath.Join(repoRoot(t), "testdata", "porting", "greeter", "Greeter.vcxproj")
}

func get(t *testing.T, url string) (string, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	return resp.Header.Get("Content-Type"), string(body)
}

// exported lists the symbols a library defines for others to find.
func exported(t *testing.T, lib string) []string {
	t.Helper()
	f, err := elf.Open(lib)
	require.NoError(t, err)
	defer f.Close()
	syms, err := f.DynamicSymbols()
	require.NoError(t, err)
	var names []string
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF {
			names = append(names, s.Name)
		}
	}
	sort.Strings(names)
	return names
}

func TestProjectBuildsAndServes(t *testing.T) {
	so := hosttest.Build(t, greeterProject(t))
	srv := hosttest.Serve(t, hosttest.Module{Name: "Greeter", Image: so})
	contentType, body := get(t, srv.URL+"/anything")
	assert.Equal(t, "text/plain", contentType)
	// Greeting: src/greeting.c's own define, from a property of Greeter.props, and the
	// configuration's define; unicode: CharacterSet; helper: inc/helper.h reached as
	// "Inc\Helper.H"; version: shared/version.h through AdditionalIncludeDirectories.
	assert.Equal(t, "Hello from Release|x64; unicode=yes; helper=42; version=3", body)

	assert.Equal(t, []string{"GreeterRevision", "GreeterVersion", "RegisterModule", "iishost_services"}, exported(t, so),
		"Greeter.def's names (GreeterRevision an alias), and the variable the host fills in; GreeterInternal is hidden")
}

func TestProjectCompileErrorNamesTheOriginal(t *testing.T) {
	var log strings.Builder
	out := filepath.Join(t.TempDir(), "greeter.so")
	err := modbuild.Build(modbuild.Options{Root: repoRoot(t), Inputs: []string{greeterProject(t)}, Out: out, Config: "Debug|x64", Log: &log})
	var tool *modbuild.ToolError
	require.True(t, errors.As(err, &tool), "%v", err)
	broken := filepath.Join(filepath.Dir(greeterProject(t)), "Broken.cpp")
	assert.Equal(t, "compiling "+broken, tool.Step)
	assert.Contains(t, string(tool.Output), broken+":7:24: error: ", "Broken.cpp is UTF-16; its line 7 holds the mistake")
	assert.Contains(t, string(tool.Output), "no_such_name")
	assert.NotContains(t, string(tool.Output), "iishost-build-", "no staged path shows")
	assert.NoFileExists(t, out)
}

func TestSeveralSources(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		// A header with a dynamic exception specification: answer.cpp builds as gnu++14, and
		// module.cpp, which does not include it, as C++17.
		"legacy.h": "#pragma once\nint Twice(int x) throw(int);\n",
		"answer.cpp": `#include "LEGACY.H"
#include <cstdio>
extern "C" const char* CPart(void);
int Twice(int x) throw(int) { return 2 * x; }
extern "C" const char* ModuleAnswer(void) {
    static char answer[64];
    snprintf(answer, sizeof answer, "%s %d %s", CPart(), Twice(21), FLAG_WORD);
    return answer;
}
`,
		"part.c":      "const char* CPart(void) { return \"from C\"; }\n",
		"exports.def": "EXPORTS\n  RegisterModule\n  CPart\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	opts := hosttest.BuildOptions{Def: filepath.Join(dir, "exports.def"), Flags: []string{`-DFLAG_WORD="flag"`}}
	so := hosttest.BuildWith(t, opts, "testdata/porting/answer/module.cpp", filepath.Join(dir, "answer.cpp"), filepath.Join(dir, "part.c"))
	srv := hosttest.Serve(t, hosttest.Module{Name: "Several", Image: so})
	_, body := get(t, srv.URL+"/")
	assert.Equal(t, "from C 42 flag", body)
	assert.Equal(t, []string{"CPart", "RegisterModule", "iishost_services"}, exported(t, so), "ModuleAnswer is not in exports.def")
}

func TestDefNameNobodyDefines(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lib.c"), []byte("int Present(void) { return 1; }\n"), 0o644))
	def := filepath.Join(dir, "lib.def")
	require.NoError(t, os.WriteFile(def, []byte("EXPORTS\n  Present\n  Missing\n"), 0o644))
	out := filepath.Join(dir, "lib.so")
	err := modbuild.Build(modbuild.Options{Root: repoRoot(t), Inputs: []string{dir}, Def: def, Out: out})
	assert.EqualError(t, err, def+":3: Missing is listed under EXPORTS, but no source defines it with C linkage")
	assert.NoFileExists(t, out)
}
