// Package msvcmod builds IIS native modules into Windows .dll files laid out by the MSVC C++
// ABI, as a Visual C++ build would lay them out, from Linux: clang targeting
// x86_64-pc-windows-msvc compiles the sources against iishost's include/ (the IIS SDK headers;
// the Windows headers are MinGW-w64's), and lld-link links them against ucrtbase.dll and the
// system DLLs through MinGW-w64's import libraries. Tests use it to make the modules that
// iishost.exe loads under Wine.
//
// The flags, and why each is needed:
//
//   - --target=x86_64-pc-windows-msvc: the MSVC ABI (vtables, name mangling, exceptions);
//     clang defines _MSC_VER, so httpserv.h keeps the SDK's declaration order.
//   - -fgnuc-version=4.2.1: without __GNUC__, MinGW-w64's _mingw.h takes the compiler for MSVC
//     and defines __attribute__(x) away, which breaks clang's own mmintrin.h (reached through
//     winnt.h) with "cannot initialize a parameter of type ... vector".
//   - -isystem <MinGW include>, before clang's resource directory: MinGW's intrin.h serves
//     (clang's own, for MSVC, conflicts with MinGW's setjmp.h over __intrinsic_setjmpex) and
//     reaches clang's *mmintrin.h, which work once __attribute__ is left alone.
//   - -D_UCRT: MinGW's headers declare the C library as ucrtbase.dll exports it.
//   - C++: libstdc++'s headers from MinGW's g++ give <new>, <cstring> and the like (header-only
//     parts; what libstdc++ keeps in its library is missing), with the two __GLIBCXX_*_INT_N_0
//     macros g++ predefines and clang does not.
//
// The pieces Visual C++ links statically (operator new/delete, __chkstk, _fltused, type_info's
// vftable, the DLL entry that runs static initializers and the atexit list) come from
// runtime/module_runtime.cpp, compiled into every module.
package msvcmod

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iishost/iishost/internal/modbuild"
)

// runtimeFiles are compiled into every module (the .cpp files) or included before each C++
// source (cxx_prelude.h).
//
//go:embed runtime/module_runtime.cpp runtime/libstdcxx_support.cpp runtime/libstdcxx_threads.cpp runtime/cxx_prelude.h
var runtimeFiles embed.FS

// mingwRoots are where Debian's (and most distributions') mingw-w64 packages install.
var mingwRoots = []string{"/usr/x86_64-w64-mingw32", "/usr/local/x86_64-w64-mingw32"}

// importExtras are C library functions that MinGW's import libraries carry without a callable
// stub (MinGW links its own versions instead): ucrtbase.dll's math, and msvcrt.dll's _setjmp
// (Wine's ucrtbase lacks it), which winpthreads' threads call. Import libraries made from .def
// files of these give MSVC-ABI modules the C library's own, as Visual C++ links them.
var importExtras = map[string][]string{
	"ucrtbase.dll": {
		"acosf", "asinf", "atan2", "atan2f", "atanf", "ceil", "ceilf", "cos", "cosf", "coshf", "exp", "expf",
		"fabs", "floor", "floorf", "fmod", "fmodf", "ldexp", "lgamma", "lgammaf", "log", "log10f", "logf",
		"modf", "modff", "pow", "powf", "sin", "sinf", "sinhf", "sqrt", "sqrtf", "tanf", "wcsnlen", "_fpreset",
	},
	"msvcrt.dll": {"_setjmp"},
}

// importLibs are the DLLs a module may call; the linker takes only those it uses.
var importLibs = []string{"ucrtbase", "kernel32", "advapi32", "user32", "ole32", "oleaut32", "ws2_32", "shlwapi", "uuid"}

// Toolchain is the set of programs and folders a build uses.
type Toolchain struct {
	Clang, ClangXX, LLDLink, DLLTool, LLVMLib string
	Include                                   string // iishost's include/
	MinGWInclude, MinGWLib                    string
	LibStdCXX                                 string // libstdc++'s headers (…/include/c++), "" when absent
}

// Find locates the toolchain, naming what is missing.
func Find() (*Toolchain, error) {
	tc := &Toolchain{}
	var missing []string
	for _, t := range []struct {
		name string
		into *string
	}{{"clang", &tc.Clang}, {"clang++", &tc.ClangXX}, {"lld-link", &tc.LLDLink}, {"llvm-dlltool", &tc.DLLTool}, {"llvm-lib", &tc.LLVMLib}} {
		p, err := exec.LookPath(t.name)
		if err != nil {
			missing = append(missing, t.name)
		}
		*t.into = p
	}
	for _, root := range mingwRoots {
		if isFile(filepath.Join(root, "include", "windows.h")) && isFile(filepath.Join(root, "lib", "libucrtbase.a")) {
			tc.MinGWInclude, tc.MinGWLib = filepath.Join(root, "include"), filepath.Join(root, "lib")
			break
		}
	}
	if tc.MinGWInclude == "" {
		missing = append(missing, "mingw-w64 headers and import libraries (windows.h, libucrtbase.a under "+strings.Join(mingwRoots, " or ")+")")
	}
	tc.LibStdCXX = libstdcxx()
	root, err := modbuild.Tree()
	if err != nil {
		return nil, err
	}
	tc.Include = filepath.Join(root, "include")
	if len(missing) > 0 {
		return nil, fmt.Errorf("msvcmod: missing %s", strings.Join(missing, ", "))
	}
	return tc, nil
}

// libstdcxx finds the newest MinGW g++'s C++ headers, preferring the posix-thread build (the
// win32 one lacks std::thread and std::mutex).
func libstdcxx() string {
	dirs, _ := filepath.Glob("/usr/lib/gcc/x86_64-w64-mingw32/*/include/c++")
	sort.Slice(dirs, func(a, b int) bool {
		pa, pb := strings.Contains(dirs[a], "-posix/"), strings.Contains(dirs[b], "-posix/")
		if pa != pb {
			return pa
		}
		return dirs[a] > dirs[b]
	})
	for _, d := range dirs {
		if isFile(filepath.Join(d, "new")) {
			return d
		}
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// Build compiles srcs (.c, .cpp/.cc/.cxx; a .def adds its exports) and links them into the
// module DLL out, which exports RegisterModule. extraFlags go to the compiler.
func Build(ctx context.Context, srcs []string, out string, extraFlags ...string) error {
	tc, err := Find()
	if err != nil {
		return err
	}
	return tc.Build(ctx, srcs, out, extraFlags...)
}

// Build is the package-level Build with this toolchain.
func (tc *Toolchain) Build(ctx context.Context, srcs []string, out string, extraFlags ...string) error {
	if len(srcs) == 0 {
		return errors.New("msvcmod: no sources")
	}
	tmp, err := os.MkdirTemp("", "msvcmod-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	entry, library, err := writeRuntime(tmp)
	if err != nil {
		return err
	}
	prelude := []string{"-include", filepath.Join(tmp, "cxx_prelude.h")}
	compile := func(i int, src string, extra []string) (string, error) {
		var flags []string
		switch strings.ToLower(filepath.Ext(src)) {
		case ".c":
			flags = append([]string{tc.Clang, "-x", "c"}, tc.CFlags()...)
		case ".cpp", ".cc", ".cxx":
			flags = append(append([]string{tc.ClangXX, "-x", "c++"}, tc.CXXFlags()...), prelude...)
		default:
			return "", fmt.Errorf("msvcmod: %s: not a C, C++ or .def source", src)
		}
		obj := filepath.Join(tmp, fmt.Sprintf("%d_%s.obj", i, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))))
		return obj, run(ctx, "compiling "+src, append(append(flags, extra...), "-c", src, "-o", obj))
	}
	var objs, defs, libObjs []string
	for i, src := range srcs {
		if strings.EqualFold(filepath.Ext(src), ".def") {
			defs = append(defs, src)
			continue
		}
		obj, err := compile(i, src, extraFlags)
		if err != nil {
			return err
		}
		objs = append(objs, obj)
	}
	if len(defs) > 1 {
		return fmt.Errorf("msvcmod: more than one .def file: %s", strings.Join(defs, ", "))
	}
	// The runtime's entry object is always linked; the C++ library pieces come from an archive,
	// so that a module carries only those it uses.
	obj, err := compile(len(srcs), entry, nil)
	if err != nil {
		return err
	}
	objs = append(objs, obj)
	for i, src := range library {
		obj, err := compile(len(srcs)+1+i, src, nil)
		if err != nil {
			return err
		}
		libObjs = append(libObjs, obj)
	}
	support := filepath.Join(tmp, "iishost_support.lib")
	if err := run(ctx, "archiving the runtime", append([]string{tc.LLVMLib, "/nologo", "/out:" + support}, libObjs...)); err != nil {
		return err
	}
	extras, err := tc.extraImportLibs(ctx, tmp)
	if err != nil {
		return err
	}
	link := []string{tc.LLDLink, "/nologo", "/dll", "/machine:x64", "/out:" + out,
		"/entry:_DllMainCRTStartup", "/export:RegisterModule", "/nodefaultlib", "/opt:ref",
		// The TLS directory is read by the loader alone; keep it from /opt:ref (lld-link 14 crashes).
		"/include:_tls_used"}
	for _, d := range defs {
		link = append(link, "/def:"+d)
	}
	// winpthreads (a static C library) carries std::thread and std::mutex, as libstdc++'s do.
	link = append(append(append(link, objs...), support), extras...)
	link = append(link, filepath.Join(tc.MinGWLib, "libwinpthread.a"))
	for _, l := range importLibs {
		link = append(link, filepath.Join(tc.MinGWLib, "lib"+l+".a"))
	}
	if err := run(ctx, "linking "+out, link); err != nil {
		return err
	}
	// lld-link writes an import library and an export file beside the DLL; a module needs neither.
	base := strings.TrimSuffix(out, filepath.Ext(out))
	os.Remove(base + ".lib")
	os.Remove(base + ".exp")
	return nil
}

// extraImportLibs writes the import libraries of importExtras into dir.
func (tc *Toolchain) extraImportLibs(ctx context.Context, dir string) ([]string, error) {
	var libs []string
	for dll, names := range importExtras {
		base := filepath.Join(dir, strings.TrimSuffix(dll, ".dll")+"_extras")
		text := "LIBRARY " + dll + "\nEXPORTS\n    " + strings.Join(names, "\n    ") + "\n"
		if err := os.WriteFile(base+".def", []byte(text), 0o644); err != nil {
			return nil, err
		}
		if err := run(ctx, "making the "+dll+" import library", []string{tc.DLLTool, "-m", "i386:x86-64", "-d", base + ".def", "-l", base + ".a"}); err != nil {
			return nil, err
		}
		libs = append(libs, base+".a")
	}
	sort.Strings(libs)
	return libs, nil
}

// writeRuntime writes the runtime files into dir and returns the entry source (the DLL entry
// and what every module needs) and the C++ library sources.
func writeRuntime(dir string) (entry string, library []string, err error) {
	entries, err := runtimeFiles.ReadDir("runtime")
	if err != nil {
		return "", nil, err
	}
	for _, e := range entries {
		text, err := runtimeFiles.ReadFile("runtime/" + e.Name())
		if err != nil {
			return "", nil, err
		}
		p := filepath.Join(dir, e.Name())
		if err := os.WriteFile(p, text, 0o644); err != nil {
			return "", nil, err
		}
		switch {
		case e.Name() == "module_runtime.cpp":
			entry = p
		case strings.HasSuffix(p, ".cpp"):
			library = append(library, p)
		}
	}
	return entry, library, nil
}

// CFlags are the compiler flags of a C source.
func (tc *Toolchain) CFlags() []string {
	return append(tc.baseFlags(), "-isystem", tc.MinGWInclude)
}

// CXXFlags are the compiler flags of a C++ source: libstdc++'s headers come before MinGW's C
// headers, which they wrap (#include_next).
func (tc *Toolchain) CXXFlags() []string {
	flags := tc.baseFlags()
	if tc.LibStdCXX != "" {
		flags = append(flags, "-isystem", tc.LibStdCXX, "-isystem", filepath.Join(tc.LibStdCXX, "x86_64-w64-mingw32"),
			"-D__GLIBCXX_TYPE_INT_N_0=__int128", "-D__GLIBCXX_BITSIZE_INT_N_0=128")
	}
	return append(flags, "-isystem", tc.MinGWInclude)
}

func (tc *Toolchain) baseFlags() []string {
	return []string{"--target=x86_64-pc-windows-msvc", "-fgnuc-version=4.2.1", "-D_UCRT", "-D__USE_MINGW_ANSI_STDIO=0", "-I", tc.Include,
		"-O2", "-ffunction-sections", "-fdata-sections", "-Wall"}
}

// run runs one tool and returns its output in the error when it fails; warnings are dropped.
func run(ctx context.Context, step string, argv []string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &modbuild.ToolError{Step: step, Output: out.Bytes(), Err: err}
	}
	return nil
}

// ToolsRequired reports whether tests must fail, not skip, when a Windows tool is missing
// (IISHOST_REQUIRE_WINDOWS_TOOLS=1, set where the tools are installed, as in CI).
func ToolsRequired() bool { return os.Getenv("IISHOST_REQUIRE_WINDOWS_TOOLS") == "1" }
