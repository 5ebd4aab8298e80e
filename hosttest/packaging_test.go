package hosttest_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

// exampleSources are examples/hello's C++ sources, absolute.
func exampleSources(t *testing.T, repo string) []string {
	srcs, err := filepath.Glob(filepath.Join(repo, "examples", "hello", "module", "*.cpp"))
	require.NoError(t, err)
	require.Len(t, srcs, 2)
	return srcs
}

// serveExample loads a build of examples/hello and checks that it answers.
func serveExample(t *testing.T, so string) {
	p := hosttest.Run(t, hosttest.Module{Name: "Hello", Image: so})
	resp := p.Get("/hello?name=Ada")
	hosttest.AssertStatus(t, resp, 200)
	hosttest.AssertBody(t, resp, "Hello, Ada!")
}

// TestPkgConfigGivesModbuildsFlags builds examples/hello with `pkg-config iishost-module`
// alone and serves it; the flags are modbuild's own.
func TestPkgConfigGivesModbuildsFlags(t *testing.T) {
	if _, err := exec.LookPath("pkg-config"); err != nil {
		t.Skip("pkg-config is not installed")
	}
	repo, err := modbuild.Tree()
	require.NoError(t, err)
	pkgConfig := func(args ...string) []string {
		cmd := exec.Command("pkg-config", append(args, "iishost-module")...)
		cmd.Env = append(os.Environ(), "PKG_CONFIG_PATH="+filepath.Join(repo, "packaging", "pkgconfig"))
		out, err := cmd.Output()
		require.NoError(t, err, "pkg-config %v", args)
		return strings.Fields(string(out))
	}
	cflags, libs := pkgConfig("--cflags"), pkgConfig("--libs")
	compile, link := modbuild.ModuleFlags(true)
	require.NotEmpty(t, cflags)
	include := cflags[len(cflags)-1]
	assert.Equal(t, compile, cflags[:len(cflags)-1])
	assert.Equal(t, link, libs)
	require.True(t, strings.HasPrefix(include, "-I"), include)
	assert.FileExists(t, filepath.Join(include[2:], "httpserv.h"))
	cCompile, _ := modbuild.ModuleFlags(false)
	assert.Equal(t, []string{cCompile[0]}, pkgConfig("--variable=c_std"), "the C standard")

	so := filepath.Join(t.TempDir(), "hello.so")
	args := append(append(append(cflags, "-o", so), exampleSources(t, repo)...), libs...)
	out, err := exec.Command("g++", args...).CombinedOutput()
	require.NoError(t, err, "g++ %s:\n%s", strings.Join(args, " "), out)
	serveExample(t, so)
}

// TestCMakePackageGivesModbuildsFlags builds examples/hello with find_package(iishost) and
// iishost::module, reads the commands CMake ran from compile_commands.json, and serves it.
func TestCMakePackageGivesModbuildsFlags(t *testing.T) {
	if _, err := exec.LookPath("cmake"); err != nil {
		t.Skip("cmake is not installed (.ci/run installs it)")
	}
	repo, err := modbuild.Tree()
	require.NoError(t, err)
	srcs := exampleSources(t, repo)
	project := t.TempDir()
	lists := "cmake_minimum_required(VERSION 3.16)\nproject(hello CXX)\n" +
		"find_package(iishost REQUIRED)\n" +
		"add_library(hello MODULE " + strings.Join(srcs, " ") + ")\n" +
		"set_target_properties(hello PROPERTIES PREFIX \"\")\n" +
		"target_link_libraries(hello PRIVATE iishost::module)\n"
	require.NoError(t, os.WriteFile(filepath.Join(project, "CMakeLists.txt"), []byte(lists), 0o644))
	build := filepath.Join(project, "build")
	cmake := func(args ...string) string {
		out, err := exec.Command("cmake", args...).CombinedOutput()
		require.NoError(t, err, "cmake %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	cmake("-S", project, "-B", build, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-Diishost_DIR="+filepath.Join(repo, "packaging", "cmake"))
	out := cmake("--build", build, "--verbose")
	compile, link := modbuild.ModuleFlags(true)
	linkLine := lineWith(out, "-o hello.so")
	require.NotEmpty(t, linkLine, "the link command in:\n%s", out)
	assert.Subset(t, strings.Fields(linkLine), link, linkLine)

	data, err := os.ReadFile(filepath.Join(build, "compile_commands.json"))
	require.NoError(t, err)
	var commands []struct{ Command, File string }
	require.NoError(t, json.Unmarshal(data, &commands))
	require.Len(t, commands, len(srcs))
	for _, c := range commands {
		words := strings.Fields(c.Command)
		assert.Subset(t, words, compile, c.Command)
		assert.Contains(t, words, "-I"+filepath.Join(repo, "include"), c.Command)
	}
	serveExample(t, filepath.Join(build, "hello.so"))
}

// lineWith is the first line of s holding sub.
func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
