package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
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

func TestRunBuildErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.cpp"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644))
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"-o", "x.so"}, "nothing to build: name sources, a folder of sources or a .vcxproj (see iishost build -h)"},
		{"unknown flag", []string{"-x"}, "flag provided but not defined: -x (see iishost build -h)"},
		{"missing source", []string{filepath.Join(dir, "gone.cpp")}, "source " + filepath.Join(dir, "gone.cpp") + ": no such file or folder"},
		{"unknown extension", []string{filepath.Join(dir, "notes.txt")}, "source " + filepath.Join(dir, "notes.txt") + ": unknown source extension (expected .c, .cpp, .cc or .cxx)"},
		{"folder without sources", []string{empty}, "folder " + empty + " holds no .c, .cpp, .cc or .cxx source"},
		{"configuration without project", []string{"-config", "Debug|x64", filepath.Join(dir, "m.cpp")}, `configuration "Debug|x64" chooses what a .vcxproj builds, and no input is one`},
		{"project beside a source", []string{filepath.Join(dir, "m.cpp"), filepath.Join(dir, "m.vcxproj")}, "project " + filepath.Join(dir, "m.vcxproj") + " is built alone: name no other input beside it"},
		{"missing project", []string{filepath.Join(dir, "m.vcxproj")}, "project " + filepath.Join(dir, "m.vcxproj") + ": no such file"},
		{"missing include directory", []string{"-I", filepath.Join(dir, "inc"), filepath.Join(dir, "m.cpp")}, "include directory " + filepath.Join(dir, "inc") + ": no such folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := runBuild(tt.args, &stderr, &stderr)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Empty(t, stderr.String())
		})
	}
}

func TestBuildUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := runBuild([]string{"-h"}, &stdout, &stderr)
	assert.True(t, errors.Is(err, flag.ErrHelp))
	assert.Empty(t, stderr.String())
	usage := stdout.String()
	assert.True(t, strings.HasPrefix(usage, "Usage: iishost build [flags] INPUT... [-- compiler flags]\n"), usage)
	for _, f := range []string{"-o file", "-config Configuration|Platform", "-def file", "-cflags flags", "-I dir", "-D NAME", "-l name", "-L dir", "-pkg name", "-v\t",
		"IISHOST_CXX_STD", "IISHOST_MODULE_CFLAGS", "CC, CXX", ".vcxproj", "ExcludedFromBuild", "EXPORTS"} {
		assert.Contains(t, usage, f)
	}
}

func TestSplitJoined(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.String("cflags", "", "")
	fs.String("o", "", "")
	fs.Bool("v", false, "")
	var l listFlag
	fs.Var(&l, "l", "")
	assert.Equal(t,
		[]string{"-l", "m", "-L", "/lib", "-I", "inc", "-D", "X=1", "-cflags", "-DY -lz", "-o", "-lweird.so", "-v", "a.c", "-l", "z", "--cflags=-DZ"},
		splitJoined(fs, []string{"-lm", "-L/lib", "-Iinc", "-DX=1", "-cflags", "-DY -lz", "-o", "-lweird.so", "-v", "a.c", "-l", "z", "--cflags=-DZ"}))
}

// runCommand runs the built command and returns its exit code, stdout and stderr.
func runCommand(t *testing.T, bin, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

func TestBuildCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	bin := buildCommand(t, repo)
	project := filepath.Join(repo, "testdata", "porting", "greeter", "Greeter.vcxproj")

	t.Run("project", func(t *testing.T) {
		dir := t.TempDir()
		code, stdout, stderr := runCommand(t, bin, dir, childEnv(), "build", project)
		require.Equal(t, 0, code, stderr)
		assert.Empty(t, stdout)
		assert.Empty(t, stderr, "no warning: MSVC pragmas dropped, every property known")
		so := filepath.Join(dir, "Greeter.so") // named after the project

		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-module", "Greeter="+so)
		got := p.get(t, "/")
		assert.Equal(t, 200, got.status)
		assert.Equal(t, "Hello from Release|x64; unicode=yes; helper=42; version=3", got.body)
		p.stop(t)
	})

	t.Run("unknown configuration", func(t *testing.T) {
		code, _, stderr := runCommand(t, bin, t.TempDir(), childEnv(), "build", "-config", "Retail|x64", project)
		assert.Equal(t, 1, code)
		assert.Equal(t, "iishost build: project "+project+` has no configuration "Retail|x64"; it has Debug|x64, Release|x64`+"\n", stderr)
	})

	t.Run("compile error", func(t *testing.T) {
		code, _, stderr := runCommand(t, bin, t.TempDir(), childEnv(), "build", "-config", "debug", project)
		assert.Equal(t, 1, code)
		broken := filepath.Join(filepath.Dir(project), "Broken.cpp")
		assert.Contains(t, stderr, broken+":7:24: error: ")
		assert.True(t, strings.HasSuffix(stderr, "\niishost build: compiling "+broken+": exit status 1\n"), stderr)
	})

	t.Run("help", func(t *testing.T) {
		code, stdout, stderr := runCommand(t, bin, t.TempDir(), childEnv(), "build", "-h")
		assert.Equal(t, 0, code)
		assert.Empty(t, stderr)
		assert.True(t, strings.HasPrefix(stdout, "Usage: iishost build"), stdout)
	})

	t.Run("folder with flags, a package and the environment", func(t *testing.T) {
		if _, err := exec.LookPath("pkg-config"); err != nil {
			t.Skip("pkg-config is not installed")
		}
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"pc/greet.pc":     "Name: greet\nDescription: test package\nVersion: 1\nCflags: -DPKG_WORD=\\\"pkg\\\"\nLibs: -lm\n",
			"extra/Words.h":   "#define HEADER_WORD \"header\"\n",
			"src/words.c":     wordsSource,
			"src/notes.txt":   "not a source\n",
			"src/sub/skip.c":  "this is not read: only the folder's own files are\n",
			"out/placeholder": "",
		})
		env := childEnv("PKG_CONFIG_PATH="+filepath.Join(dir, "pc"), `IISHOST_MODULE_CFLAGS=-DENV_WORD="env"`)
		module, err := os.ReadFile(filepath.Join(repo, "testdata", "porting", "answer", "module.cpp"))
		require.NoError(t, err)
		writeFiles(t, dir, map[string]string{"src/module.cpp": string(module)})
		so := filepath.Join(dir, "out", "words.so")
		code, _, stderr := runCommand(t, bin, dir, env, "build", "-v", "src", "-o", so, `-DDEF_WORD="def"`, "-Iextra", "-pkg", "greet", "--", `-DDASH_WORD="dash"`)
		require.Equal(t, 0, code, stderr)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		require.Len(t, lines, 3, "two compiles, in parallel, then a link: %s", stderr)
		compiles := strings.Join(lines[:2], "\n")
		assert.Regexp(t, `(?m)^g\+\+ -std=c\+\+17 .*/src/module\.cpp -o `, compiles)
		assert.Regexp(t, `(?m)^gcc -std=c11 .*/src/words\.c -o `, compiles)
		assert.Contains(t, lines[2], " -lm ")

		srv := hosttest.Serve(t, hosttest.Module{Name: "Words", Image: so})
		got := (&process{addr: srv.Listener.Addr().String()}).get(t, "/")
		assert.Equal(t, 200, got.status)
		assert.Equal(t, "pkg env def dash header", got.body)
	})

	t.Run("build-module.sh", func(t *testing.T) {
		dir := t.TempDir()
		cmd := exec.Command("bash", filepath.Join(repo, "scripts", "build-module.sh"), filepath.Join(repo, "samples", "hello", "hello.cpp"), "hello.so", "-DUNUSED=1")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Empty(t, string(out))
		assert.FileExists(t, filepath.Join(dir, "hello.so"))
	})
}

// wordsSource answers with words its build defined, one from each way of giving flags.
const wordsSource = `#include <words.h>
const char* ModuleAnswer(void) {
    return PKG_WORD " " ENV_WORD " " DEF_WORD " " DASH_WORD " " HEADER_WORD;
}
`

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
}
