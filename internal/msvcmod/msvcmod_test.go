package msvcmod

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iishost/iishost/internal/winetest"
	"github.com/stretchr/testify/require"
)

// toolchain finds the toolchain or skips, naming what is missing.
func toolchain(t *testing.T) *Toolchain {
	tc, err := Find()
	if err == nil {
		_, err = exec.LookPath("llvm-readobj")
	}
	if err != nil {
		skipOrFail(t, err)
	}
	return tc
}

// skipOrFail skips naming what is missing, or fails where the tools must be there.
func skipOrFail(t *testing.T, err error) {
	if ToolsRequired() {
		t.Fatal(err)
	}
	t.Skip(err)
}

// dllFacts is what llvm-readobj says of a PE file.
type dllFacts struct {
	machine string
	isDLL   bool
	hasTLS  bool
	exports []string
	imports map[string][]string // DLL name -> symbols
}

func readDLL(t *testing.T, path string) dllFacts {
	out, err := exec.Command("llvm-readobj", "--file-headers", "--coff-exports", "--coff-imports", path).CombinedOutput()
	require.NoError(t, err, "%s", out)
	f := dllFacts{imports: map[string][]string{}}
	section, dll := "", ""
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "Machine: "):
			f.machine = strings.Fields(strings.TrimPrefix(line, "Machine: "))[0]
		case strings.HasPrefix(line, "IMAGE_FILE_DLL"):
			f.isDLL = true
		case strings.HasPrefix(line, "TLSTableSize: ") && line != "TLSTableSize: 0x0":
			f.hasTLS = true
		case line == "Export {":
			section = "export"
		case line == "Import {":
			section = "import"
		case strings.HasPrefix(line, "Name: ") && section == "export":
			f.exports = append(f.exports, strings.TrimPrefix(line, "Name: "))
		case strings.HasPrefix(line, "Name: ") && section == "import":
			dll = strings.ToLower(strings.TrimPrefix(line, "Name: "))
			f.imports[dll] = nil
		case strings.HasPrefix(line, "Symbol: ") && section == "import":
			f.imports[dll] = append(f.imports[dll], strings.Fields(strings.TrimPrefix(line, "Symbol: "))[0])
		}
	}
	return f
}

// TestBuildSamples builds the C++ and C hello samples into MSVC-ABI DLLs and reads them back:
// AMD64 DLLs that export RegisterModule and import only from Windows' own DLLs.
func TestBuildSamples(t *testing.T) {
	tc := toolchain(t)
	root := filepath.Dir(tc.Include)
	for _, c := range []struct {
		name, src   string
		wantImports []string // symbols that prove the runtime and the CRT are wired
	}{
		{"hello", "samples/hello/hello.cpp", []string{"malloc", "free"}},
		{"cmodule", "samples/cmodule/c_module.c", []string{"malloc"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), c.name+".dll")
			require.NoError(t, tc.Build(context.Background(), []string{filepath.Join(root, c.src)}, out))
			f := readDLL(t, out)
			require.Equal(t, "IMAGE_FILE_MACHINE_AMD64", f.machine)
			require.True(t, f.isDLL, "not marked as a DLL")
			require.Contains(t, f.exports, "RegisterModule")
			for dll := range f.imports {
				require.Contains(t, []string{"ucrtbase.dll", "kernel32.dll"}, dll, "unexpected import from %s", dll)
			}
			for _, sym := range c.wantImports {
				require.Contains(t, f.imports["ucrtbase.dll"], sym)
			}
			// Nothing of lld-link's byproducts is left beside the module.
			entries, err := os.ReadDir(filepath.Dir(out))
			require.NoError(t, err)
			require.Len(t, entries, 1)
		})
	}
}

// TestBuildThrows builds a module that throws and catches a C++ exception, has a static object
// with a constructor and destructor, a function-local static (thread-safe initialization), a
// thread_local, a frame over a page (__chkstk) and intrinsics: the MSVC exception helpers come from
// ucrtbase.dll, the rest from module_runtime.cpp, and the DLL links whole. It gets a TLS
// directory for the thread-locals.
func TestBuildThrows(t *testing.T) {
	tc := toolchain(t)
	src := filepath.Join(t.TempDir(), "throws.cpp")
	require.NoError(t, os.WriteFile(src, []byte(`#include <httpserv.h>
#include <intrin.h>
#include <new>
struct Counter { int n; Counter() : n(1) {} ~Counter() { n = 0; } };
static Counter counter;
static int Thrower(int v) { if (v > 0) throw v; return v; }
static int Once() { static Counter c; return c.n; }
static thread_local int perThread = 2;
HRESULT WINAPI RegisterModule(DWORD v, IHttpModuleRegistrationInfo *, IHttpServer *) {
    char big[16384];
    big[v % sizeof big] = 1;
    static volatile LONG hits;
    big[1] = char(__rdtsc() & 1) + char(InterlockedIncrement(&hits));
    int *p = new (std::nothrow) int(counter.n + Once() + perThread++);
    try { Thrower(int(v) + *p + big[0]); } catch (int) { delete p; return S_OK; }
    delete p;
    return E_FAIL;
}
`), 0o644))
	out := filepath.Join(t.TempDir(), "throws.dll")
	require.NoError(t, tc.Build(context.Background(), []string{src}, out))
	f := readDLL(t, out)
	require.Contains(t, f.exports, "RegisterModule")
	for _, sym := range []string{"_CxxThrowException", "__CxxFrameHandler3"} {
		require.Contains(t, f.imports["ucrtbase.dll"], sym)
	}
	require.True(t, f.hasTLS, "no TLS directory")
}

// TestBuildErrors: each failure names its cause.
func TestBuildErrors(t *testing.T) {
	tc := toolchain(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	cases := []struct {
		name string
		srcs []string
		want string
	}{
		{"no sources", nil, "no sources"},
		{"unknown kind", []string{write("notes.txt", "hello")}, `notes\.txt: not a C, C\+\+ or \.def source`},
		{"compile error", []string{write("broken.cpp", "int f( {")}, `compiling .*broken\.cpp`},
		{"no RegisterModule", []string{write("empty.c", "int unused(void) { return 0; }\n")}, `linking .*RegisterModule`},
		{"two .def files", []string{write("a.def", "EXPORTS\n RegisterModule\n"), write("b.def", "EXPORTS\n RegisterModule\n")}, `more than one \.def file: .*a\.def, .*b\.def`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "out.dll")
			err := tc.Build(context.Background(), c.srcs, out)
			require.Error(t, err)
			require.Regexp(t, regexp.MustCompile("(?s)"+c.want), err.Error())
			require.NoFileExists(t, out)
		})
	}
}

// mingwUnderWine finds MinGW g++ and Wine's prefix (winetest.Setup, which skips under -race and
// -asan: the Wine tests run in the plain pass), or skips, and gives the test a deadline.
func mingwUnderWine(t *testing.T) (gxx string, wine *winetest.Env, ctx context.Context) {
	gxx, err := exec.LookPath(winetest.CXX)
	if err != nil {
		skipOrFail(t, err)
	}
	wine = winetest.Setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return gxx, wine, ctx
}

// TestExceptionsAcrossToMinGW checks, under Wine, that a C++ exception an MSVC-ABI module throws
// out to a MinGW g++ program (the Windows host's compiler) is not stopped by g++'s catch (...):
// the process dies of it. The host's SEH guard that does stop it is internal/cabi's
// TestModuleGuardUnderWine, built from the bridge's own files.
func TestExceptionsAcrossToMinGW(t *testing.T) {
	tc := toolchain(t)
	gxx, wine, ctx := mingwUnderWine(t)
	dir := t.TempDir()
	require.NoError(t, tc.Build(ctx, []string{"testdata/throwing_module.cpp"}, filepath.Join(dir, "throwing_module.dll")))
	out, err := exec.Command(gxx, "-std=c++11", "-Wall", "-Werror", "-O1", "-static", "-o", filepath.Join(dir, "guard_host.exe"),
		"testdata/guard_host.cpp").CombinedOutput()
	require.NoError(t, err, "%s", out)

	stdout, stderr, err := wine.RunIn(ctx, dir, "guard_host.exe")
	require.True(t, winetest.Crashed(err, stderr), "the exception did not end the process:\n%s%s", stdout, stderr)
	require.NotContains(t, stdout, "catch (...): caught")
	require.NotContains(t, stdout, "catch (...): returned")
}

// TestBuildWithDef: a .def file among the sources adds its exports, as Windows projects export
// through one.
func TestBuildWithDef(t *testing.T) {
	tc := toolchain(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "m.c")
	require.NoError(t, os.WriteFile(src, []byte("#include <httpserv.h>\n"+
		"int __cdecl Extra(void) { return 1; }\n"+
		"HRESULT WINAPI RegisterModule(DWORD v, IHttpModuleRegistrationInfo *i, IHttpServer *s) { (void)v; (void)i; (void)s; return S_OK; }\n"), 0o644))
	def := filepath.Join(dir, "m.def")
	require.NoError(t, os.WriteFile(def, []byte("LIBRARY m\nEXPORTS\n    RegisterModule\n    Extra\n"), 0o644))
	out := filepath.Join(dir, "out", "m.dll")
	require.NoError(t, os.Mkdir(filepath.Dir(out), 0o755))
	require.NoError(t, tc.Build(context.Background(), []string{src, def}, out))
	f := readDLL(t, out)
	require.Contains(t, f.exports, "RegisterModule")
	require.Contains(t, f.exports, "Extra")
}

// TestSamplesRunFromMinGWHost runs one request through the hello samples built here (C++ and C)
// from testdata/mini_host.cpp under Wine: a MinGW g++ program whose host objects derive from
// the generated stubs, as the Windows host's do. The overloads (SetHeader by id and by name,
// GetRawHttpRequest's const form), Dispose and Terminate must each reach the right method.
func TestSamplesRunFromMinGWHost(t *testing.T) {
	tc := toolchain(t)
	gxx, wine, ctx := mingwUnderWine(t)
	root := filepath.Dir(tc.Include)
	dir := t.TempDir()
	out, err := exec.Command(gxx, "-std=c++17", "-Wall", "-Wextra", "-Werror", "-O1", "-static",
		"-I", tc.Include, "-I", filepath.Join(root, "internal", "cabi", "headers"),
		"-o", filepath.Join(dir, "mini_host.exe"), "testdata/mini_host.cpp").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.NoError(t, tc.Build(ctx, []string{filepath.Join(root, "samples/hello/hello.cpp")}, filepath.Join(dir, "hello.dll")))
	require.NoError(t, tc.Build(ctx, []string{filepath.Join(root, "samples/cmodule/c_module.c")}, filepath.Join(dir, "c_module.dll")))

	for _, c := range []struct{ dll, path, want string }{
		{"hello.dll", "/hello", "OnBeginRequest: finish\ncalls: Clear;SetHeader #12 text/plain;Write Hello, world!;\n"},
		{"hello.dll", "/other", "OnBeginRequest: continue\ncalls: \n"},
		{"c_module.dll", "/c", "OnBeginRequest: finish\ncalls: Clear;SetStatus 200 OK;SetHeader #12 text/plain;SetHeader X-Module-Language C;Write Hello from C;\n"},
	} {
		stdout, stderr, err := wine.RunIn(ctx, dir, "mini_host.exe", c.dll, c.path)
		require.NoError(t, err, "%s%s", stdout, stderr)
		require.Equal(t, "RegisterModule: 0x00000000, notifications 0x1\n"+c.want, stdout, "%s %s", c.dll, c.path)
	}
}

// TestCxxLibraryUnderWine runs testdata/cxx_library_module.cpp's exports from a MinGW program
// under Wine: std::mutex locks (800000 increments from 8 threads), std::thread and
// std::condition_variable hand a value over, std::string grows and at() throws out_of_range
// with libstdc++'s message, runtime_error keeps its message, and pow/sqrt are the C library's.
func TestCxxLibraryUnderWine(t *testing.T) {
	tc := toolchain(t)
	gxx, wine, ctx := mingwUnderWine(t)
	dir := t.TempDir()
	require.NoError(t, tc.Build(ctx, []string{"testdata/cxx_library_module.cpp"}, filepath.Join(dir, "cxx.dll")))
	out, err := exec.Command(gxx, "-std=c++11", "-Wall", "-Werror", "-O1", "-static", "-o", filepath.Join(dir, "call_host.exe"), "testdata/call_host.cpp").CombinedOutput()
	require.NoError(t, err, "%s", out)
	stdout, stderr, err := wine.RunIn(ctx, dir, "call_host.exe", "cxx.dll", "CountUnderMutex", "HandOver=42", "StringWork=5", "RuntimeErrorMessage", "Math=10")
	require.NoError(t, err, "%s%s", stdout, stderr)
	require.Equal(t, "CountUnderMutex=800000\nHandOver=42\nStringWork=15001\nRuntimeErrorMessage=11\nMath=1033\n", stdout)
}

// TestUuidsUnderWine: a module names interface and class IDs as Visual C++ code does, with
// __uuidof and the IID_/CLSID_ constants (defined in the module, no INITGUID), and they agree.
func TestUuidsUnderWine(t *testing.T) {
	tc := toolchain(t)
	gxx, wine, ctx := mingwUnderWine(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "uuids.cpp")
	require.NoError(t, os.WriteFile(src, []byte(`#include <httpserv.h>
extern "C" __declspec(dllexport) int __cdecl Agree(int)
{
    return (IsEqualGUID(__uuidof(IHttpContext3), IID_IHttpContext3) ? 1 : 0) +
           (IsEqualGUID(__uuidof(IHttpServer2), IID_IHttpServer2) ? 2 : 0) +
           (IsEqualGUID(__uuidof(AppHostAdminManager), CLSID_AppHostAdminManager) ? 4 : 0) +
           (IID_IHttpContext3.Data1 == 0xBF53C022 ? 8 : 0);
}
HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *, IHttpServer *) { return S_OK; }
`), 0o644))
	require.NoError(t, tc.Build(ctx, []string{src}, filepath.Join(dir, "uuids.dll")))
	out, err := exec.Command(gxx, "-std=c++11", "-O1", "-static", "-o", filepath.Join(dir, "call_host.exe"), "testdata/call_host.cpp").CombinedOutput()
	require.NoError(t, err, "%s", out)
	stdout, stderr, err := wine.RunIn(ctx, dir, "call_host.exe", "uuids.dll", "Agree")
	require.NoError(t, err, "%s%s", stdout, stderr)
	require.Equal(t, "Agree=15\n", stdout)
}
