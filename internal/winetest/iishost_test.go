package winetest_test

// The Windows subset: iishost.exe, cross-built with MinGW-w64, serves under Wine with modules
// built by an MSVC-ABI compiler (internal/msvcmod), and behaves as the Linux host does with the
// same sources built as .so files. The package doc says when these tests skip.

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
	"github.com/iishost/iishost/internal/msvcmod"
	"github.com/iishost/iishost/internal/winetest"
)

// buildTimeout bounds a module build; it only stops a hung compiler from holding the suite.
const buildTimeout = 5 * time.Minute

// TestMain lets go of the Wine prefix and removes what the tests built once all have run.
func TestMain(m *testing.M) {
	code := m.Run()
	winetest.Shutdown()
	windowsBuilds.remove()
	hosttest.Cleanup()
	os.Exit(code)
}

// windowsBuilds holds what the Windows subset builds once per test binary: iishost.exe (a
// cgo cross build of the whole bridge) and the module DLLs.
var windowsBuilds builds

type builds struct {
	mu    sync.Mutex
	dir   string
	files map[string]string
	errs  map[string]error
}

// get returns the file name built by build, building it on first use; a failed build fails
// every test that needs it, without being retried.
func (b *builds) get(t *testing.T, name string, build func(out string) error) string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.files == nil {
		dir, err := os.MkdirTemp("", "iishost-windows-")
		require.NoError(t, err)
		b.dir, b.files, b.errs = dir, map[string]string{}, map[string]error{}
	}
	if _, done := b.files[name]; !done {
		out := filepath.Join(b.dir, name)
		started := time.Now()
		b.errs[name] = build(out)
		b.files[name] = out
		t.Logf("built %s in %v", name, time.Since(started).Round(time.Millisecond))
	}
	require.NoError(t, b.errs[name], "building %s", name)
	return b.files[name]
}

func (b *builds) remove() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

// setupHost readies Wine and cross-builds iishost.exe, or skips.
func setupHost(t *testing.T) (*winetest.Env, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("cross-builds iishost.exe and runs it under Wine")
	}
	e := winetest.Setup(t)
	return e, windowsCommand(t)
}

// windowsCommand cross-builds iishost.exe from this repository.
func windowsCommand(t *testing.T) string {
	t.Helper()
	winetest.Tool(t, winetest.CXX)
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	return windowsBuilds.get(t, "iishost.exe", func(out string) error {
		return winetest.GoBuild(repo, "./cmd/iishost", out, true)
	})
}

// msvcModule builds sources (paths in the repository) into an MSVC-ABI module DLL.
func msvcModule(t *testing.T, name string, sources ...string) string {
	t.Helper()
	if _, err := msvcmod.Find(); err != nil {
		winetest.Missing(t, "the MSVC-ABI module build needs: %v", err)
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	return windowsBuilds.get(t, name, func(out string) error {
		abs := make([]string, len(sources))
		for i, s := range sources {
			abs[i] = filepath.Join(repo, s)
		}
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		return msvcmod.Build(ctx, abs, out)
	})
}

// mingwModule builds a C++ source into a DLL with MinGW-w64's g++ (the GNU ABI): for images
// the MSVC-ABI build refuses to make, such as one without RegisterModule.
func mingwModule(t *testing.T, name, source string) string {
	t.Helper()
	cxx := winetest.Tool(t, winetest.CXX)
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	return windowsBuilds.get(t, name, func(out string) error {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, cxx, "-shared", "-static", "-w", "-I", filepath.Join(repo, "include"),
			"-o", out, filepath.Join(repo, source))
		if msg, err := cmd.CombinedOutput(); err != nil {
			return errors.New(err.Error() + ": " + string(msg))
		}
		return nil
	})
}

// hostEnv is the environment iishost.exe runs with: the test's without the IISHOST_ variables
// that change what iishost does, plus extra.
func hostEnv(extra ...string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "IISHOST_") })
	return append(env, extra...)
}

// anyPort has iishost.exe listen on a port the system picks; its log names the port.
const anyPort = "127.0.0.1:0"

var listening = regexp.MustCompile(`msg=listening address=(\S+)`)

// startHost runs iishost.exe in one process (-workers 0) on a port of its own under Wine and
// returns the process and the address it listens on.
func startHost(t *testing.T, e *winetest.Env, exe string, env []string, args ...string) (*winetest.Process, string) {
	t.Helper()
	p := e.Start(t, exe, append([]string{"-workers", "0", "-listen", anyPort}, args...), env)
	return p, p.WaitFor(t, listening)[1]
}

// jsonRecords parses a program's JSON log lines, leaving out what Wine itself may print.
func jsonRecords(t *testing.T, out string) []map[string]any {
	t.Helper()
	var records []map[string]any
	for line := range strings.SplitSeq(out, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "log line %q", line)
		records = append(records, rec)
	}
	return records
}

// withMachine copies a PE image with its COFF machine field set to machine.
func withMachine(t *testing.T, image string, machine uint16) string {
	t.Helper()
	data, err := os.ReadFile(image)
	require.NoError(t, err)
	require.Greater(t, len(data), 0x40)
	peOffset := int(binary.LittleEndian.Uint32(data[0x3c:]))
	require.Less(t, peOffset+6, len(data))
	require.Equal(t, "PE\x00\x00", string(data[peOffset:peOffset+4]))
	binary.LittleEndian.PutUint16(data[peOffset+4:], machine)
	out := filepath.Join(t.TempDir(), "i386-"+filepath.Base(image))
	require.NoError(t, os.WriteFile(out, data, 0o644))
	return out
}

// Each broken module stops iishost.exe before it listens, with an error naming the module,
// its file and the reason, as on Linux.
func TestWindowsLoadErrors(t *testing.T) {
	e, exe := setupHost(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.dll")
	require.NoError(t, os.WriteFile(text, []byte("These are notes, not a module.\n"), 0o644))
	hello := msvcModule(t, "hello.dll", "samples/hello/hello.cpp")

	tests := []struct {
		name, module, image, reason string
	}{
		{"missing file", "Missing", filepath.Join(dir, "none.dll"), "no such file"},
		{"not a PE image", "Notes", text, "not a shared library: it is a text file, not a PE image"},
		{"wrong machine", "Foreign", withMachine(t, hello, 0x14c), "wrong architecture: built for i386, this host is amd64"},
		{"no RegisterModule", "NoExport", mingwModule(t, "noexport.dll", "testdata/modules/noexport.cpp"),
			"does not export RegisterModule"},
		{"RegisterModule fails", "FailReg", msvcModule(t, "failreg.dll", "testdata/modules/failreg.cpp"),
			"registration failed: RegisterModule returned HRESULT 0x8007064A"},
		{"DllMain refuses", "DllMainFail", msvcModule(t, "dllmainfail.dll", "testdata/modules/dllmainfail.cpp"),
			"DllMain failed: DllMain returned FALSE for DLL_PROCESS_ATTACH, in the module or a DLL it loads (LoadLibrary error 1114)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			image := winetest.WindowsPath(tt.image)
			out, err := e.Run(t, exe, []string{"-workers", "0", "-listen", anyPort, "-log-format", "json",
				"-module", tt.module + "=" + image}, hostEnv())
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "iishost.exe must fail; output:\n%s", out)
			assert.Equal(t, 1, exit.ExitCode())

			want := `module "` + tt.module + `" (` + image + `): ` + tt.reason
			var failed, stopped map[string]any
			for _, rec := range jsonRecords(t, out) {
				switch rec["msg"] {
				case "module failed to load":
					failed = rec
				case "iishost stopped":
					stopped = rec
				case "listening":
					t.Errorf("listened despite the broken module: %v", rec)
				}
			}
			require.NotNil(t, failed, "no failure record; output:\n%s", out)
			assert.Equal(t, tt.module, failed["module"])
			assert.Equal(t, image, failed["image"])
			assert.Equal(t, want, failed["error"])
			require.NotNil(t, stopped, "no stop record; output:\n%s", out)
			assert.Equal(t, want, stopped["error"])
		})
	}
}

// probeRequest is one request of the module checks, sent alike to both hosts.
type probeRequest struct {
	path    string
	headers map[string]string
}

// probeReply is what the checks compare of a response.
type probeReply struct {
	Status                                    int
	Body                                      string
	Stages, ContentType, Echo, ModuleLanguage []string
}

func sendProbe(t *testing.T, base string, r probeRequest) probeReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+r.path, nil)
	require.NoError(t, err)
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var stages []string
	for _, v := range resp.Header.Values("X-Stages") {
		for item := range strings.SplitSeq(v, ",") {
			stages = append(stages, strings.TrimSpace(item))
		}
	}
	return probeReply{resp.StatusCode, string(body), stages, resp.Header.Values("Content-Type"),
		resp.Header.Values("X-Echo"), resp.Header.Values("X-Module-Language")}
}

// probeStages are the deterministic stages in pipeline order, as winprobe.cpp names them.
var probeStages = []string{
	"BeginRequest", "AuthenticateRequest", "AuthorizeRequest", "ResolveRequestCache",
	"MapRequestHandler", "AcquireRequestState", "PreExecuteRequestHandler", "ExecuteRequestHandler",
	"ReleaseRequestState", "UpdateRequestCache", "LogRequest", "EndRequest",
}

// probeTrace is X-Stages for a request nothing stops: per stage each label's notification in
// configuration order, then the posts in the same order; SendResponse in reverse order.
func probeTrace(labels ...string) []string {
	var out []string
	for _, stage := range probeStages {
		for _, l := range labels {
			out = append(out, l+":"+stage)
		}
		for _, l := range labels {
			out = append(out, l+":Post"+stage)
		}
	}
	for i := len(labels) - 1; i >= 0; i-- {
		out = append(out, labels[i]+":SendResponse")
	}
	return out
}

// The C++ probe (two registrations of one DLL), the C sample and the C++ hello sample, built by
// an MSVC-ABI compiler and configured as IIS configures them, answer iishost.exe under Wine
// exactly as their .so twins answer the Linux host.
func TestWindowsModules(t *testing.T) {
	e, exe := setupHost(t)
	dlls := map[string]string{
		"winprobe": msvcModule(t, "winprobe.dll", "testdata/modules/winprobe.cpp"),
		"cmodule":  msvcModule(t, "cmodule.dll", "samples/cmodule/c_module.c"),
		"hello":    msvcModule(t, "hello.dll", "samples/hello/hello.cpp"),
	}
	for name, dll := range dlls {
		require.Equal(t, windowsBuilds.dir, filepath.Dir(dll), name)
	}
	root := t.TempDir()
	env := hostEnv("WINTEST_MODULES="+winetest.WindowsPath(windowsBuilds.dir), "WINTEST_ROOT="+winetest.WindowsPath(root))
	config, err := filepath.Abs(filepath.Join("testdata", "modules.config"))
	require.NoError(t, err)
	p, addr := startHost(t, e, exe, env, "-config", winetest.WindowsPath(config))

	probe := hosttest.Build(t, "testdata/modules/winprobe.cpp")
	twin := hosttest.Serve(t, append(hosttest.Instances(probe, "WinProbe", "Second"),
		hosttest.Module{Name: "CModule", Image: hosttest.Build(t, "samples/cmodule/c_module.c")},
		hosttest.Module{Name: "Hello", Image: hosttest.Build(t, "samples/hello/hello.cpp")})...)

	both := probeTrace("WinProbe", "Second")
	headersBody := func(path, query string) string {
		return "request X-In=from the client\n" +
			"request X-Set=set-by-name\n" +
			"request X-Drop=(null)\n" +
			"request User-Agent=winprobe-test\n" +
			"request Referer=http://referer.example/\n" +
			"request From=(null)\n" +
			"path=" + path + "\n" +
			"const path=" + path + "\n" +
			"var REQUEST_METHOD=GET\n" +
			"var HTTP_X_SET=set-by-name\n" +
			"wide var QUERY_STRING=" + query + "\n" +
			"wide var URL=" + path + "\n" +
			"response X-Echo=from the client\n" +
			"response X-Gone=(null)\n" +
			"response Content-Type=text/plain\n" +
			"response Content-Language=(null)\n" +
			"status=200\n" +
			"const status=200\n"
	}
	clientHeaders := map[string]string{"X-In": "from the client", "X-Drop": "dropped", "From": "someone@example.com", "User-Agent": "winprobe-test"}
	// A request the probe finishes at ExecuteRequestHandler skips to LogRequest; one a sample
	// answers (after clearing the response, X-Stages included) keeps only the stages after it.
	handled := append(traceUpTo(both, "WinProbe:ExecuteRequestHandler"), traceFrom(both, "WinProbe:LogRequest")...)
	cleared := traceFrom(both, "WinProbe:LogRequest")
	cases := []struct {
		name string
		req  probeRequest
		want probeReply
	}{
		{"stage order", probeRequest{path: "/nothing-here"}, probeReply{Status: 404, Body: "404 Not Found\n", Stages: both, ContentType: []string{"text/plain; charset=utf-8"}}},
		{"headers and server variables", probeRequest{"/headers?a=1", clientHeaders},
			probeReply{Status: 200, Body: headersBody("/headers", "a=1"), Stages: handled,
				ContentType: []string{"text/plain"}, Echo: []string{"from the client"}}},
		{"SetUrl, wide", probeRequest{"/wide-url?dropped=1", clientHeaders},
			probeReply{Status: 200, Body: headersBody("/headers", ""), Stages: handled,
				ContentType: []string{"text/plain"}, Echo: []string{"from the client"}}},
		{"SetUrl, narrow", probeRequest{"/narrow-url?kept=1", clientHeaders},
			probeReply{Status: 200, Body: headersBody("/headers", "from=narrow"), Stages: handled,
				ContentType: []string{"text/plain"}, Echo: []string{"from the client"}}},
		{"async, IndicateCompletion from the module's thread", probeRequest{path: "/async"},
			probeReply{Status: 200, Body: "completed by the module's thread\n", Stages: handled, ContentType: []string{"text/plain"}}},
		{"async, PostCompletion from the module's thread", probeRequest{path: "/async-post"},
			probeReply{Status: 200, Body: "post completion bytes=5\n", Stages: handled, ContentType: []string{"text/plain"}}},
		{"module in C", probeRequest{path: "/c"},
			probeReply{Status: 200, Body: "Hello from C", Stages: cleared, ContentType: []string{"text/plain"}, ModuleLanguage: []string{"C"}}},
		{"C++ sample", probeRequest{path: "/hello"},
			probeReply{Status: 200, Body: "Hello, world!", Stages: cleared, ContentType: []string{"text/plain"}}},
		{"exception escaping a module", probeRequest{path: "/throw"},
			probeReply{Status: 500, Body: "500 Internal Server Error\n", Stages: cleared, ContentType: []string{"text/plain"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := sendProbe(t, "http://"+addr, c.req)
			assert.Equal(t, c.want, got, "iishost.exe under Wine")
			assert.Equal(t, sendProbe(t, twin.URL, c.req), got, "the Linux host with the .so twins answers alike")
		})
	}

	select {
	case <-p.Done():
		t.Fatalf("iishost.exe exited (%v) during the checks; its output:\n%s", p.Err(), p.Output)
	default:
	}
	// The exception is logged against the module, and the host keeps serving.
	assert.Regexp(t, `level=ERROR msg="exception escaped ExecuteRequestHandler: [^"]+" module=WinProbe\b`, p.Output.String())
	assert.Equal(t, "Hello from C", sendProbe(t, "http://"+addr, probeRequest{path: "/c"}).Body)

	p.Stop(t)
	assert.True(t, strings.HasSuffix(p.Output.String(), "level=INFO msg=stopped\n"), "log:\n%s", p.Output)
	for _, name := range []string{"WinProbe", "Second", "CModule", "Hello"} {
		assert.Contains(t, p.Output.String(), `msg="module loaded" module=`+name+` `)
	}
}

// traceUpTo keeps a trace up to and including entry.
func traceUpTo(trace []string, entry string) []string {
	return slices.Clone(trace[:slices.Index(trace, entry)+1])
}

// traceFrom keeps a trace from entry on.
func traceFrom(trace []string, entry string) []string {
	return slices.Clone(trace[slices.Index(trace, entry):])
}
