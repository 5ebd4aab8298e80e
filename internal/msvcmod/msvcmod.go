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
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iishost/iishost/internal/modbuild"
)

//go:embed runtime/module_runtime.cpp
var moduleRuntime []byte

// mingwRoots are where Debian's (and most distributions') mingw-w64 packages install.
var mingwRoots = []string{"/usr/x86_64-w64-mingw32", "/usr/local/x86_64-w64-mingw32"}

// importLibs are the DLLs a module may call; the linker takes only those it uses.
var importLibs = []string{"ucrtbase", "kernel32", "advapi32", "user32", "ole32", "oleaut32", "ws2_32", "shlwapi", "uuid"}

// Toolchain is the set of programs and folders a build uses.
type Toolchain struct {
	Clang, ClangXX, LLDLink string
	Include                 string // iishost's include/
	MinGWInclude, MinGWLib  string
	LibStdCXX               string // libstdc++'s headers (…/include/c++), "" when absent
}

// Find locates the toolchain, naming what is missing.
func Find() (*Toolchain, error) {
	tc := &Toolchain{}
	var missing []string
	for _, t := range []struct {
		name string
		into *string
	}{{"clang", &tc.Clang}, {"clang++", &tc.ClangXX}, {"lld-link", &tc.LLDLink}} {
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
	runtimeSrc := filepath.Join(tmp, "module_runtime.cpp")
	if err := os.WriteFile(runtimeSrc, moduleRuntime, 0o644); err != nil {
		return err
	}
	var objs, defs []string
	for i, src := range append(srcs, runtimeSrc) {
		var flags []string
		switch ext := strings.ToLower(filepath.Ext(src)); ext {
		case ".def":
			defs = append(defs, src)
			continue
		case ".c":
			flags = append([]string{tc.Clang, "-x", "c"}, tc.CFlags()...)
		case ".cpp", ".cc", ".cxx":
			flags = append([]string{tc.ClangXX, "-x", "c++"}, tc.CXXFlags()...)
		default:
			return fmt.Errorf("msvcmod: %s: not a C, C++ or .def source", src)
		}
		if src != runtimeSrc {
			flags = append(flags, extraFlags...)
		}
		obj := filepath.Join(tmp, fmt.Sprintf("%d_%s.obj", i, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))))
		if err := run(ctx, "compiling "+src, append(flags, "-c", src, "-o", obj)); err != nil {
			return err
		}
		objs = append(objs, obj)
	}
	if len(defs) > 1 {
		return fmt.Errorf("msvcmod: more than one .def file: %s", strings.Join(defs, ", "))
	}
	link := []string{tc.LLDLink, "/nologo", "/dll", "/machine:x64", "/out:" + out,
		"/entry:_DllMainCRTStartup", "/export:RegisterModule", "/nodefaultlib", "/opt:ref",
		// The TLS directory is read by the loader alone; keep it from /opt:ref (lld-link 14 crashes).
		"/include:_tls_used"}
	for _, d := range defs {
		link = append(link, "/def:"+d)
	}
	link = append(link, objs...)
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
	return []string{"--target=x86_64-pc-windows-msvc", "-fgnuc-version=4.2.1", "-D_UCRT", "-I", tc.Include,
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
