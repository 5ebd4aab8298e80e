package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

func TestCheckTestFlag(t *testing.T) {
	for arg, want := range map[string]bool{"-t": true, "--t": true, "-t=true": true, "-t=1": true,
		"-t=false": false, "-t=nonsense": false, "t": false, "-tt": false, "-template": false, "---t": false} {
		assert.Equal(t, want, isTestFlag(arg), arg)
	}
	for _, args := range [][]string{nil, {"-listen", ":80"}, {"build", "x.cpp"}, {"-config", "x", "--", "-t"}} {
		_, ok := checkCommand(args, &bytes.Buffer{}, &bytes.Buffer{})
		assert.False(t, ok, "%q is not a check", args)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"check", "-nosuchflag"}, {"-t", "extra"}, {"check", "-config"}} {
		var out bytes.Buffer
		code, ok := checkCommand(args, io.Discard, &out)
		require.True(t, ok, "%q", args)
		assert.Equal(t, 2, code, "%q: %s", args, out.String())
		assert.Contains(t, out.String(), "Usage: iishost check [flags]", "%q", args)
	}
}

func TestCheckLogFlags(t *testing.T) {
	var out bytes.Buffer
	code, ok := checkCommand([]string{"check", "-log-format", "xml"}, io.Discard, &out)
	require.True(t, ok)
	assert.Equal(t, 2, code)
	assert.Equal(t, "iishost check: -log-format \"xml\": want text or json\n", out.String())
}

// The testdata configuration holds one problem of each kind; the report names each with its
// line, then sums up.
func TestCheckReport(t *testing.T) {
	noExport := hosttest.Build(t, "testdata/modules/noexport.cpp")
	t.Setenv("CHECK_NOEXPORT", noExport)
	dir := mustAbs(t, filepath.Join("testdata", "check"))
	config := filepath.Join("testdata", "check", "problems.config")

	var out bytes.Buffer
	code, ok := checkCommand([]string{"check", "-config", config}, io.Discard, &out)
	require.True(t, ok)
	assert.Equal(t, 1, code)
	caseOnly := `the schema declares "system.webServer", which differs in letter case only; IIS reads names case-sensitively and refuses it, iishost ignores it`
	want := []string{
		config + `:9:11: error: site "Default Web Site" application "/" virtual directory "/missing": physicalPath ` + dir + `/no-such-dir: no such file or directory`,
		config + `:13:11: error: system.applicationHost/sites/site/bindings: duplicate <binding> entry (protocol="http" bindingInformation="127.0.0.1:8080:")`,
		config + `:14:11: error: site "Default Web Site": https binding needs certificateFile and certificateKeyFile (PEM files)`,
		config + `:15:11: warning: site "Default Web Site": binding protocol "net.pipe" is not served: iishost serves http and https`,
		config + `:22:7: error: module "NoExport" (` + noExport + `): does not export RegisterModule`,
		config + `:23:7: error: module "NotALibrary" (` + dir + `/notalib.bin): not a shared library: it is a text file, not an ELF image`,
		config + `:27:7: error: module "Ghost" is enabled in <modules> but not declared in <globalModules>`,
		config + `:30:7: warning: configuration attribute not declared by the schema; its value is typed from its text (element system.webServer/security/requestFiltering, attribute removeServerHeadr)`,
		config + `:33:3: error: section system.webserver: ` + caseOnly,
		`iishost: configuration ` + config + `: 7 errors, 2 warnings`,
		`iishost: configuration ` + config + ` test failed`,
	}
	assert.Equal(t, want, strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"))
}

func TestCheckClean(t *testing.T) {
	t.Setenv("CHECK_HELLO", hosttest.Build(t, "samples/hello/hello.cpp"))
	config := filepath.Join("testdata", "check", "clean.config")
	var out bytes.Buffer
	code, ok := checkCommand([]string{"-config", config, "-t"}, io.Discard, &out)
	require.True(t, ok)
	assert.Equal(t, 0, code)
	assert.Equal(t, "iishost: configuration "+config+": 0 errors, 0 warnings\n"+
		"iishost: configuration "+config+" test is successful\n", out.String())
}

// With no -config, the embedded default is checked, the samples built as run builds them.
func TestCheckEmbeddedDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sample modules")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("IISHOST_SAMPLES", "")
	t.Setenv("IISHOST_WWWROOT", "")
	var out bytes.Buffer
	code, ok := checkCommand([]string{"check"}, io.Discard, &out)
	require.True(t, ok)
	assert.Equal(t, 0, code, out.String())
	assert.Equal(t, "iishost: configuration embedded default.config: 0 errors, 0 warnings\n"+
		"iishost: configuration embedded default.config test is successful\n", out.String())
}

// The built command dispatches both spellings and exits with the check's status.
func TestCheckCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	bin := buildCommand(t, repo)
	dir := mustAbs(t, filepath.Join("testdata", "check"))
	env := childEnv("CHECK_HELLO="+hosttest.Build(t, "samples/hello/hello.cpp"),
		"CHECK_NOEXPORT="+hosttest.Build(t, "testdata/modules/noexport.cpp"))

	code, stdout, stderr := runCommand(t, bin, dir, env, "-config", "clean.config", "-t")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Equal(t, "iishost: configuration clean.config: 0 errors, 0 warnings\niishost: configuration clean.config test is successful\n", stderr)

	code, _, stderr = runCommand(t, bin, dir, env, "check", "-config", "problems.config")
	assert.Equal(t, 1, code, stderr)
	assert.True(t, strings.HasSuffix(stderr, "iishost: configuration problems.config test failed\n"), stderr)

	code, _, stderr = runCommand(t, bin, dir, env, "-t", "-nosuchflag")
	assert.Equal(t, 2, code, stderr)
}

// Flags the check cannot take are errors of the check, not usage errors.
func TestCheckFlagProblems(t *testing.T) {
	t.Setenv("CHECK_HELLO", hosttest.Build(t, "samples/hello/hello.cpp"))
	config := filepath.Join("testdata", "check", "clean.config")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-listen", "nonsense"}, `error: -listen "nonsense": address nonsense: missing port in address`},
		{[]string{"-module", "hello=/x.so"}, `error: -module "hello=/x.so": module "Hello" is already declared in ` + config},
		{[]string{"-root", "no-such-root"}, config + `:8:11: error: site "Default Web Site" application "/" virtual directory "/": physicalPath ` +
			filepath.Join(mustAbs(t, "."), "no-such-root") + `: no such file or directory`},
	} {
		var out bytes.Buffer
		code, ok := checkCommand(append([]string{"check", "-config", config}, tt.args...), io.Discard, &out)
		require.True(t, ok)
		assert.Equal(t, 1, code, "%q", tt.args)
		assert.Equal(t, tt.want+"\niishost: configuration "+config+": 1 error, 0 warnings\n"+
			"iishost: configuration "+config+" test failed\n", out.String(), "%q", tt.args)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	require.NoError(t, err)
	return abs
}
