package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

// Generous bounds: they only stop a broken build or server from hanging the suite.
const (
	buildTimeout   = 10 * time.Minute // a hang guard: the sanitizer run rebuilds every C++ file of cabi here, slowly on a busy machine
	processTimeout = 120 * time.Second
)

func TestRunErrors(t *testing.T) {
	missingConfig := filepath.Join(t.TempDir(), "none.config")
	missingModule := filepath.Join(t.TempDir(), "none.so")
	missingSchema := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"module without =", []string{"-module", "Hello"}, `-module "Hello": want NAME=PATH`},
		{"module without name", []string{"-module", "=/m.so"}, `-module "=/m.so": empty module name`},
		{"module without path", []string{"-module", "Hello="}, `-module "Hello=": empty module path`},
		{"module name twice", []string{"-module", "Hello=/a.so", "-module", "HELLO=/b.so"},
			`-module "HELLO=/b.so": module "Hello" is already declared`},
		{"positional argument", []string{"serve"}, `unexpected argument "serve": iishost takes flags, or build first (see -help)`},
		{"unknown flag", []string{"-nosuchflag"}, "flag provided but not defined: -nosuchflag"},
		{"listen without value", []string{"-listen"}, "flag needs an argument: -listen"},
		{"missing config file", []string{"-config", missingConfig}, "config " + missingConfig + ": no such file or directory"},
		{"missing module file", []string{"-module", "Hello=" + missingModule}, `module "Hello" (` + missingModule + `): no such file`},
		{"missing schema directory", []string{"-schema", missingSchema, "-module", "Hello=" + missingModule},
			"schema " + missingSchema + ": no such file or directory"},
		{"negative workers", []string{"-workers", "-1"}, "-workers -1: want 0 (serve in this process) to 64"},
		{"profile of a pool", []string{"-workers", "2", "-cpuprofile", "cpu.prof"}, "-cpuprofile cpu.prof: profiles one process, and -workers 2 asks for a pool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// -workers 0: in this process, as a master would start copies of the test binary.
			err := run(append([]string{"-workers", "0"}, tt.args...), io.Discard, io.Discard)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// buildCommand builds this command into a temp dir.
func buildCommand(t *testing.T, repo string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "iishost")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "./cmd/iishost")
	cmd.Dir = repo
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// anyPort has the command listen on a port the kernel picks; the test reads it from the log, so
// no other test can take the port between its choice and the bind.
const anyPort = "127.0.0.1:0"

// listeningRecord is the command's record of an address it listens on, in text or JSON logs.
var listeningRecord = regexp.MustCompile(`"?msg"?[=:]"?listening"?[ ,]"?address"?[=:]"?([^\s"]+)`)

// freeAddress returns a loopback address with a port nobody listens on right now.
func freeAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// process is a running iishost command.
type process struct {
	cmd    *exec.Cmd
	addr   string
	stderr *hosttest.Log
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, once done is closed
}

// start runs the command with -listen addr and waits until it answers HTTP on addr. It is
// killed at the end of the test if it is still running.
func start(t *testing.T, bin, dir string, env []string, addr string, args ...string) *process {
	t.Helper()
	return awaitListening(t, launch(t, bin, dir, env, addr, args...))
}

// startBound runs the command on its configuration's bindings (no -listen) and waits until it
// answers on addr, one of them.
func startBound(t *testing.T, bin, dir string, env []string, addr string, args ...string) *process {
	t.Helper()
	return awaitListening(t, launchArgs(t, bin, dir, env, addr, args))
}

func awaitListening(t *testing.T, p *process) *process {
	t.Helper()
	deadline := time.Now().Add(processTimeout)
	for {
		if p.addr == anyPort {
			if m := listeningRecord.FindStringSubmatch(p.stderr.String()); m != nil {
				p.addr = m[1]
			}
		}
		conn, err := net.DialTimeout("tcp", p.addr, time.Second)
		if p.addr != anyPort && err == nil {
			conn.Close()
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("iishost exited before listening (%v); its log:\n%s", p.err, p.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("iishost did not listen on %s within %v; its log:\n%s", p.addr, processTimeout, p.stderr.String())
		}
	}
}

// adminRecord is the command's record of the admin listener's address (text logs).
var adminRecord = regexp.MustCompile(`msg="admin listening" address=(\S+)`)

// adminAddress waits for the admin listener's record and returns the address it names.
func (p *process) adminAddress(t *testing.T) string {
	t.Helper()
	var addr string
	require.Eventually(t, func() bool {
		m := adminRecord.FindStringSubmatch(p.stderr.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	}, processTimeout, 20*time.Millisecond, "no admin listening record; log:\n%s", p.stderr.String())
	return addr
}

// launch runs the command with -listen addr, killed at the end of the test if it still runs.
func launch(t *testing.T, bin, dir string, env []string, addr string, args ...string) *process {
	t.Helper()
	return launchArgs(t, bin, dir, env, addr, append([]string{"-listen", addr}, args...))
}

// launchArgs runs the command with args; addr is where the test talks to it.
func launchArgs(t *testing.T, bin, dir string, env []string, addr string, args []string) *process {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	p := &process{addr: addr, stderr: &hosttest.Log{}, done: make(chan struct{})}
	p.cmd = exec.CommandContext(ctx, bin, args...)
	p.cmd.Dir = dir
	p.cmd.Env = env
	p.cmd.Stdout = p.stderr
	p.cmd.Stderr = p.stderr
	require.NoError(t, p.cmd.Start())
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cancel() // kills the process if it is still running
		<-p.done
	})
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	// A process already told to stop may be gone.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		require.ErrorIs(t, err, os.ErrProcessDone)
	}
	select {
	case <-p.done:
	case <-time.After(processTimeout):
		t.Fatalf("iishost did not exit after SIGTERM; its log:\n%s", p.stderr.String())
	}
	require.NoError(t, p.err, "exit status; log:\n%s", p.stderr.String())
	assert.Equal(t, 0, p.cmd.ProcessState.ExitCode())
}

// logLines returns the log's records without their time= field.
func (p *process) logLines() []string {
	var out []string
	for line := range strings.SplitSeq(strings.TrimSuffix(p.stderr.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "time=") {
			_, line, _ = strings.Cut(line, " ")
		}
		out = append(out, line)
	}
	return out
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (p *process) get(t *testing.T, path string) reply {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get("http://" + p.addr + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{resp.StatusCode, resp.Header, string(body)}
}

// childEnv is the test's environment without the variables that change what iishost and the
// samples do, plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "HOME", "XDG_CACHE_HOME", "IISHOST_SAMPLES", "IISHOST_WWWROOT", "IISHOST_ACCESS_LOG",
			"IISHOST_BASIC_USER", "IISHOST_BASIC_PASSWORD":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	bin := buildCommand(t, repo)

	t.Run("module flag", func(t *testing.T) {
		hello := filepath.Join(t.TempDir(), "hello.so")
		require.NoError(t, modbuild.Build(modbuild.Options{Root: repo, Inputs: []string{filepath.Join(repo, "samples", "hello", "hello.cpp")}, Out: hello}))
		root := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(root, "page.txt"), []byte("static page\n"), 0o644))
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-module", "Hello="+hello, "-root", root)
		got := p.get(t, "/hello")
		assert.Equal(t, 200, got.status)
		assert.Equal(t, "text/plain", got.header.Get("Content-Type"))
		assert.Equal(t, "Hello, world!", got.body)
		got = p.get(t, "/page.txt")
		assert.Equal(t, 200, got.status)
		assert.Equal(t, "static page\n", got.body, "-root is the site's physical path")
		p.stop(t)

		assert.Equal(t, []string{
			`level=INFO msg="module loaded" module=Hello image=` + hello +
				` notifications=[BeginRequest] post_notifications=[] global_notifications=[]`,
			`level=INFO msg=listening address=` + p.addr,
			`level=INFO msg="shutting down: draining in-flight requests"`,
			`level=INFO msg=stopped`,
		}, p.logLines())
	})

	t.Run("cpu profile", func(t *testing.T) {
		hello := filepath.Join(t.TempDir(), "hello.so")
		require.NoError(t, modbuild.Build(modbuild.Options{Root: repo, Inputs: []string{filepath.Join(repo, "samples", "hello", "hello.cpp")}, Out: hello}))
		profile := filepath.Join(t.TempDir(), "cpu.prof")
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-module", "Hello="+hello, "-cpuprofile", profile)
		for range 50 {
			assert.Equal(t, "Hello, world!", p.get(t, "/hello").body)
		}
		p.stop(t)
		data, err := os.ReadFile(profile)
		require.NoError(t, err)
		require.Greater(t, len(data), 2)
		assert.Equal(t, []byte{0x1f, 0x8b}, data[:2], "a profile is gzip-compressed protobuf, written when the command stops")
	})

	t.Run("embedded default configuration", func(t *testing.T) {
		home := t.TempDir()
		cache := filepath.Join(home, "cache")
		accessLog := filepath.Join(t.TempDir(), "access.log")
		env := childEnv("HOME="+home, "XDG_CACHE_HOME="+cache, "IISHOST_ACCESS_LOG="+accessLog)
		index, err := os.ReadFile(filepath.Join(repo, "samples", "wwwroot", "index.html"))
		require.NoError(t, err)

		serve := func(t *testing.T) []string {
			p := start(t, bin, repo, env, anyPort)
			for _, c := range []struct {
				path   string
				status int
				body   string
			}{
				{"/hello", 200, "Hello, world!"},
				{"/c", 200, "Hello from C"},
				{"/private/x", 403, "403 Forbidden: /private/ is not served here\n"},
				{"/secure/", 401, ""},
				{"/", 200, string(index)},
			} {
				got := p.get(t, c.path)
				assert.Equal(t, c.status, got.status, c.path)
				assert.Equal(t, c.body, got.body, c.path)
				assert.Equal(t, "iishost", got.header.Get("X-Powered-By"), c.path)
			}
			p.stop(t)
			return p.logLines()
		}

		lines := serve(t)
		require.NotEmpty(t, lines)
		build := `level=INFO msg="building sample modules (first run: later runs reuse them)" ` +
			`modules=accesslog,async,basicauth,bigfile,cmodule,combo,denyprefix,headers,hello,sse,wsecho into=`
		require.True(t, strings.HasPrefix(lines[0], build), "first record: %s", lines[0])
		samples := strings.TrimPrefix(lines[0], build)
		assert.Equal(t, filepath.Join(cache, "iishost"), filepath.Dir(samples), "built into the user cache dir")
		assert.FileExists(t, filepath.Join(samples, ".complete"))
		took, ok := strings.CutPrefix(lines[1], `level=INFO msg="sample modules built" took=`)
		require.True(t, ok, "second record: %s", lines[1])
		_, err = time.ParseDuration(took)
		assert.NoError(t, err, "took= is a duration")
		lines = lines[1:]

		want := []string{}
		for _, m := range []struct{ name, file, notifications, global string }{
			{"DenyPrefix", "denyprefix", "[]", "[PreBeginRequest]"},
			{"BasicAuth", "basicauth", "[AuthenticateRequest]", "[]"},
			{"Headers", "headers", `"[BeginRequest ExecuteRequestHandler SendResponse]"`, "[]"},
			{"Hello", "hello", "[BeginRequest]", "[]"},
			{"CModule", "cmodule", "[BeginRequest]", "[]"},
			{"Async", "async", "[ExecuteRequestHandler]", "[]"},
			{"Combo", "combo", "[ExecuteRequestHandler]", "[]"},
			{"Sse", "sse", "[ExecuteRequestHandler]", "[StopListening]"},
			{"AccessLog", "accesslog", "[LogRequest]", "[]"},
		} {
			want = append(want, `level=INFO msg="module loaded" module=`+m.name+` image=`+filepath.Join(samples, m.file+".so")+
				` notifications=`+m.notifications+` post_notifications=[] global_notifications=`+m.global)
		}
		want = append(want, `level=INFO msg=listening address=`)
		require.Len(t, lines, 1+len(want)+2, "log:\n%s", strings.Join(lines, "\n"))
		assert.Equal(t, want[:len(want)-1], lines[1:len(want)])
		assert.True(t, strings.HasPrefix(lines[len(want)], want[len(want)-1]), lines[len(want)])
		assert.Equal(t, []string{`level=INFO msg="shutting down: draining in-flight requests"`, `level=INFO msg=stopped`}, lines[len(want)+1:])

		accessLines := "GET /hello 200 127.0.0.1\nGET /c 200 127.0.0.1\nGET /private/x 403 127.0.0.1\nGET /secure/ 401 127.0.0.1\nGET / 200 127.0.0.1\n"
		data, err := os.ReadFile(accessLog)
		require.NoError(t, err)
		assert.Equal(t, accessLines, string(data))

		// A second start finds the built samples in the cache.
		lines = serve(t)
		assert.Equal(t, want[:len(want)-1], lines[:len(want)-1], "no rebuild: the log starts with the modules")
		data, err = os.ReadFile(accessLog)
		require.NoError(t, err)
		assert.Equal(t, accessLines+accessLines, string(data))
	})
}
