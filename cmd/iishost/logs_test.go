package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

func TestDescribeBuild(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.99", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}
	assert.Equal(t, "iishost v1.2.3 revision abc123+modified 2026-01-02T03:04:05Z go1.99", describeBuild(info))
	info.Settings = nil
	assert.Equal(t, "iishost v1.2.3 go1.99", describeBuild(info))
}

func TestLogSettingErrors(t *testing.T) {
	config := filepath.Join(t.TempDir(), "bad.config")
	require.NoError(t, os.WriteFile(config, []byte("<configuration>\n  <iishost logLevel=\"loud\"/>\n</configuration>\n"), 0o644))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-log-format", "xml"}, `-log-format "xml": want text or json`},
		{[]string{"-log-level", "verbose"}, `-log-level "verbose": want debug, info, warn or error`},
		{[]string{"-config", config}, "config " + config + `: 2:3: <iishost> logLevel "loud": want debug, info, warn or error`},
	} {
		var stderr bytes.Buffer
		err := run(append([]string{"-workers", "0"}, tt.args...), &bytes.Buffer{}, &stderr)
		require.Error(t, err, "%q", tt.args)
		assert.Equal(t, tt.want, err.Error())
		assert.Contains(t, stderr.String(), `level=ERROR msg="iishost stopped"`, "logged too")
	}
}

// jsonRecords parses every line of a JSON log; a line that is not one JSON object fails.
func jsonRecords(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(log), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "line %q", line)
		out = append(out, rec)
	}
	return out
}

// recordsWith returns the records whose attributes include every one of want.
func recordsWith(records []map[string]any, want map[string]any) []map[string]any {
	var out []map[string]any
	for _, rec := range records {
		match := true
		for k, v := range want {
			match = match && rec[k] == v
		}
		if match {
			out = append(out, rec)
		}
	}
	return out
}

// moduleConfig writes a configuration loading one module, with extra under <configuration>.
func moduleConfig(t *testing.T, name, image, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "applicationHost.config")
	doc := `<configuration>` + extra + `<system.webServer>
	<globalModules><add name="` + name + `" image="` + image + `"/></globalModules>
	<modules><add name="` + name + `"/></modules>
</system.webServer></configuration>`
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	return path
}

func TestCommandLogs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	bin := buildCommand(t, repo)

	t.Run("help and version print on stdout and exit 0", func(t *testing.T) {
		for _, args := range [][]string{{"-h"}, {"-help"}, {"check", "-h"}, {"-t", "-help"}, {"build", "-h"}} {
			code, stdout, stderr := runCommand(t, bin, t.TempDir(), childEnv(), args...)
			assert.Equal(t, 0, code, "%q", args)
			assert.True(t, strings.HasPrefix(stdout, "Usage: iishost"), "%q: %s", args, stdout)
			assert.Contains(t, stdout, "-", "%q lists flags", args)
			assert.Empty(t, stderr, "%q", args)
		}
		code, stdout, stderr := runCommand(t, bin, t.TempDir(), childEnv(), "-h")
		require.Equal(t, 0, code)
		assert.Empty(t, stderr)
		for _, f := range []string{"-log-format", "-log-level", "-version", "-workers"} {
			assert.Contains(t, stdout, f)
		}
		code, stdout, stderr = runCommand(t, bin, t.TempDir(), childEnv(), "-version")
		assert.Equal(t, 0, code)
		assert.Empty(t, stderr)
		assert.Regexp(t, `^iishost \S+ .*`+strings.ReplaceAll(runtime.Version(), ".", `\.`)+`\n$`, stdout)
	})

	t.Run("module records keep their attributes as JSON", func(t *testing.T) {
		events := hosttest.Build(t, "testdata/modules/eventlog.cpp")
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", moduleConfig(t, "Events", events, ""), "-log-format", "json")
		assert.Equal(t, "logged", p.get(t, "/some/path").body)
		p.stop(t)
		records := jsonRecords(t, p.stderr.String())
		for _, want := range []map[string]any{
			{"level": "WARN", "msg": "request /some/path", "module": "Events", "source": "EventLogFixture", "event_type": "warning",
				"event_id": float64(2001), "category": float64(2), "data_bytes": float64(4)},
			{"level": "ERROR", "msg": "wide ✓", "module": "Events", "source": "EventLogFixture", "event_type": "error", "event_id": float64(3001)},
			{"level": "INFO", "msg": "debug line", "module": "Events", "source": "OutputDebugString"},
			{"level": "INFO", "msg": "listening"},
		} {
			assert.Len(t, recordsWith(records, want), 1, "%v in\n%s", want, p.stderr.String())
		}
	})

	trace := hosttest.Build(t, "testdata/modules/tracectx.cpp")
	fromFile := moduleConfig(t, "trace-a-sub", trace, `<iishost logFormat="json" logLevel="debug"/>`)

	t.Run("the configuration sets the format and level; trace events show at debug", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", fromFile)
		assert.Equal(t, 200, p.get(t, "/raise?area=2&verbosity=4").status)
		assert.Equal(t, 200, p.get(t, "/quick?level=4").status)
		p.stop(t)
		// Trace fields are text, as the module's items are rendered (internal/cabi/trace.go).
		records := jsonRecords(t, p.stderr.String())
		assert.Len(t, recordsWith(records, map[string]any{"level": "DEBUG", "msg": "trace event", "module": "trace-a-sub",
			"provider": "11111111-2222-3333-4444-555555555555", "event": "FixtureEvent", "event_id": "7",
			"Count": "42", "Name": "hello", "Flag": "true", "Big": "1099511627776"}), 1, p.stderr.String())
		assert.Len(t, recordsWith(records, map[string]any{"level": "DEBUG", "msg": "trace event", "event": "QuickTrace",
			"Data1": "first", "Data2": "second", "ErrorCode": "2147500037"}), 1, p.stderr.String())
	})

	t.Run("flags win over the configuration", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", fromFile, "-log-format", "text", "-log-level", "info")
		assert.Equal(t, 200, p.get(t, "/raise?area=2&verbosity=4").status)
		p.stop(t)
		log := p.stderr.String()
		assert.Contains(t, log, "level=INFO msg=listening")
		assert.NotContains(t, log, "trace event", "debug records are below -log-level info")
		assert.NotContains(t, log, `{"`, "no JSON line")
	})

	t.Run("the W3C access log, relative to the configuration, written as the worker stops", func(t *testing.T) {
		events := hosttest.Build(t, "testdata/modules/eventlog.cpp")
		config := moduleConfig(t, "Events", events, `<system.applicationHost><sites>
	<site name="Logged" id="5"><application path="/"><virtualDirectory path="/" physicalPath="."/></application></site>
	<siteDefaults><logFile directory="logs" logExtFileFlags="Date, Time, Method, UriStem, UriQuery, HttpStatus, UserAgent"/></siteDefaults>
</sites></system.applicationHost>`)
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", config)
		assert.Equal(t, "logged", p.get(t, "/a%20page?x=1").body)
		p.stop(t)
		matches, err := filepath.Glob(filepath.Join(filepath.Dir(config), "logs", "W3SVC5", "u_ex*.log"))
		require.NoError(t, err)
		require.Len(t, matches, 1)
		data, err := os.ReadFile(matches[0])
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
		require.Len(t, lines, 5, "%s", data)
		assert.Equal(t, "#Fields: date time cs-method cs-uri-stem cs-uri-query cs(User-Agent) sc-status", lines[3])
		assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GET /a\+page x=1 Go-http-client/1.1 200$`, lines[4])
	})

	t.Run("SIGHUP does not end a single process", func(t *testing.T) {
		hello := filepath.Join(t.TempDir(), "hello.so")
		require.NoError(t, modbuild.Build(modbuild.Options{Root: repo, Inputs: []string{filepath.Join(repo, "samples", "hello", "hello.cpp")}, Out: hello}))
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-module", "Hello="+hello, "-workers", "0")
		warning := `level=WARN msg="SIGHUP ignored: reloading the configuration needs worker processes (-workers 1 or more); restart this one to apply changes"`
		for range 2 {
			before := strings.Count(p.stderr.String(), warning)
			require.NoError(t, p.cmd.Process.Signal(syscall.SIGHUP))
			require.Eventually(t, func() bool { return strings.Count(p.stderr.String(), warning) == before+1 },
				resumeWithin, pollEvery, "log:\n%s", p.stderr.String())
			assert.Equal(t, "Hello, world!", p.get(t, "/hello").body, "still serving")
		}
		p.stop(t)
	})
}
