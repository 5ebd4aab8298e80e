package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/apispec"
	"github.com/iishost/iishost/internal/msvcmod"
)

// The Windows layout proofs. A module built by Visual C++ lays out our objects' vtables as
// MSVC does; the host is built by MinGW g++ (the Itanium ABI), which sees httpserv.h's methods
// in MSVC slot order. clang stands in for both: --target=x86_64-pc-windows-msvc is the MSVC
// ABI, --target=x86_64-w64-windows-gnu the MinGW one, and -fdump-vtable-layouts prints the
// slots each gives. MinGW g++ itself is checked against clang's MinGW layout, symbol by symbol.

// requireWindowsTool finds a program or skips naming it (fails with
// IISHOST_REQUIRE_WINDOWS_TOOLS=1, as CI sets where the tools are installed).
func requireWindowsTool(t *testing.T, name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, fmt.Errorf("%s is not installed", name))
	}
	return p
}

func skipOrFail(t *testing.T, err error) {
	if msvcmod.ToolsRequired() {
		t.Fatal(err)
	}
	t.Skip(err)
}

func msvcToolchain(t *testing.T) *msvcmod.Toolchain {
	tc, err := msvcmod.Find()
	if err != nil {
		skipOrFail(t, err)
	}
	return tc
}

// probeSource declares, for every interface, a class Probe_X deriving from X that overrides
// every method with the table's signature (a mismatch fails to compile: `override`), and has an
// out-of-line constructor so that its vtable is laid out and emitted. With record, each method
// stores its callIDs number in probeCalled.
func probeSource(api *apispec.API, record bool) string {
	var b strings.Builder
	b.WriteString("#include <httpserv.h>\n#include <ahadmin.h>\n#include <iiswebsocket.h>\n\n")
	if record {
		b.WriteString("int probeCalled = -1;\n\n")
	}
	ids := callIDs(api)
	for _, it := range api.Interfaces {
		fmt.Fprintf(&b, "struct Probe_%s : %s {\n    Probe_%s();\n", it.Name, it.Name, it.Name)
		for _, m := range it.Methods {
			id, ok := ids[m]
			if !ok {
				continue // the implicit destructor overrides it
			}
			cnst, body := "", "return {};"
			if m.Const {
				cnst = " const"
			}
			if m.Returns == "void" || m.Returns == "VOID" {
				body = ""
			}
			if record {
				body = fmt.Sprintf("probeCalled = %d; %s", id, body)
			}
			fmt.Fprintf(&b, "    %s STDMETHODCALLTYPE %s(%s)%s override { %s }\n", m.Returns, m.Name, paramList(m, false, false), cnst, body)
		}
		fmt.Fprintf(&b, "};\nProbe_%s::Probe_%s() {}\n\n", it.Name, it.Name)
	}
	return b.String()
}

// callIDs numbers every method row of every interface (inherited rows included), destructors
// aside: they never cross the module boundary, and each probe's implicit one overrides.
func callIDs(api *apispec.API) map[*apispec.Method]int {
	ids := map[*apispec.Method]int{}
	for _, it := range api.Interfaces {
		for _, m := range it.Methods {
			if !strings.HasPrefix(m.Name, "~") {
				ids[m] = len(ids)
			}
		}
	}
	return ids
}

// signatureKey names a method by what tells overloads apart, blanks removed; destructors are "~()".
func signatureKey(name, params string, cnst bool) string {
	if strings.HasPrefix(name, "~") {
		return "~()"
	}
	k := name + "(" + params + ")"
	if cnst {
		k += "const"
	}
	// VOID is a macro in the Windows headers, so the compiler prints void.
	return voidMacro.ReplaceAllString(strings.ReplaceAll(k, " ", ""), "void")
}

var voidMacro = regexp.MustCompile(`\bVOID\b`)

func tableKey(m *apispec.Method) string {
	var types []string
	for _, p := range m.Params {
		types = append(types, p.Type)
	}
	return signatureKey(m.Name, strings.Join(types, ","), m.Const)
}

var (
	// "Vtable for 'Probe_X' (N entries)." (Itanium) or "VFTable for 'X' in ... in 'Probe_X' (N entries)." (MSVC)
	dumpHeader = regexp.MustCompile(`^V(?:F|t)[Tt]?able for .*'Probe_(\w+)' \(\d+ entries\)\.$`)
	dumpEntry  = regexp.MustCompile(`^\s*\d+ \| (.*)$`)
	dumpMethod = regexp.MustCompile(`Probe_\w+::(~?\w+)\((.*)\)( const)?$`)
	annotation = regexp.MustCompile(`( \[[^\]]*\])+$`)
	// Itanium's offset entries, which are not methods
	offsetEntry = regexp.MustCompile(`^(offset_to_top|vcall_offset|vbase_offset) \(`)
)

// dumpedSlots reads clang's -fdump-vtable-layouts output: per probed interface, the slots of
// each method key in vtable order (RTTI and offset entries are not slots).
func dumpedSlots(t *testing.T, dump string) map[string]map[string][]int {
	out := map[string]map[string][]int{}
	var cur map[string][]int
	slot := 0
	for _, line := range strings.Split(dump, "\n") {
		if m := dumpHeader.FindStringSubmatch(line); m != nil {
			cur, slot = map[string][]int{}, 0
			out[m[1]] = cur
			continue
		}
		e := dumpEntry.FindStringSubmatch(line)
		if e == nil {
			if strings.TrimSpace(line) == "" {
				cur = nil
			}
			continue
		}
		if cur == nil || strings.HasSuffix(e[1], " RTTI") || offsetEntry.MatchString(e[1]) {
			continue
		}
		sig := dumpMethod.FindStringSubmatch(annotation.ReplaceAllString(e[1], ""))
		require.NotNil(t, sig, "unreadable vtable entry %q", e[1])
		key := signatureKey(sig[1], sig[2], sig[3] != "")
		cur[key] = append(cur[key], slot)
		slot++
	}
	return out
}

func runTool(t *testing.T, argv ...string) string {
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	require.NoError(t, err, "%s\n%s", strings.Join(argv, " "), out)
	return string(out)
}

// checkSlots compares the dumped layout with the `slot` column for every method of every
// interface; a virtual destructor takes one slot in MSVC's layout and two in Itanium's.
func checkSlots(t *testing.T, api *apispec.API, dump string, destructorSlots int) {
	got := dumpedSlots(t, dump)
	for _, it := range api.Interfaces {
		slots, ok := got[it.Name]
		if !assertTrue(t, ok, "no vtable dumped for Probe_%s", it.Name) {
			continue
		}
		want := map[string][]int{}
		for _, m := range it.Methods {
			n := 1
			if strings.HasPrefix(m.Name, "~") {
				n = destructorSlots
			}
			for i := 0; i < n; i++ {
				want[tableKey(m)] = append(want[tableKey(m)], m.Slot+i)
			}
		}
		require.Equal(t, want, windowsNames(want, slots), "%s: slots the compiler gave (got) against the table (want)", it.Name)
	}
}

// windowsNames undoes windows.h's A/W macros (GetUserName is GetUserNameA without UNICODE),
// which rename a method alike in the SDK's header, the module and the host.
func windowsNames(want, got map[string][]int) map[string][]int {
	out := map[string][]int{}
	for key, slots := range got {
		name, rest, _ := strings.Cut(key, "(")
		if _, ok := want[key]; !ok && (strings.HasSuffix(name, "A") || strings.HasSuffix(name, "W")) {
			if _, ok := want[name[:len(name)-1]+"("+rest]; ok {
				key = name[:len(name)-1] + "(" + rest
			}
		}
		out[key] = slots
	}
	return out
}

func assertTrue(t *testing.T, ok bool, format string, args ...any) bool {
	if !ok {
		t.Errorf(format, args...)
	}
	return ok
}

func writeTemp(t *testing.T, name, text string) string {
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// TestSlotsAgreeMSVC proves that an MSVC-ABI compiler, reading httpserv.h as a Visual C++
// module does (_MSC_VER: the SDK's declaration order), puts every method of every interface at
// the table's `slot`: overloads (grouped and reversed), inherited interfaces, the destructor
// (one deleting-destructor slot) and the COM interfaces (IUnknown and IDispatch are MinGW's).
func TestSlotsAgreeMSVC(t *testing.T) {
	tc := msvcToolchain(t)
	api := loadAPI(t)
	src := writeTemp(t, "probe.cpp", probeSource(api, false))
	argv := append([]string{tc.ClangXX}, tc.CXXFlags()...)
	dump := runTool(t, append(argv, "-Werror", "-Xclang", "-fdump-vtable-layouts", "-S", "-o", os.DevNull, src)...)
	checkSlots(t, api, dump, 1)
}

// TestSlotsAgreeMinGW proves that a MinGW (Itanium ABI) compiler, reading httpserv.h as the
// Windows host does (IISHOST_DECLARE_IN_SLOT_ORDER), gives the same slots; its destructor takes
// two, the last, which the host never calls. MinGW g++ then emits, for every probe, the very
// vtable clang emits for the MinGW target.
func TestSlotsAgreeMinGW(t *testing.T) {
	clang := requireWindowsTool(t, "clang++")
	api := loadAPI(t)
	src := writeTemp(t, "probe.cpp", probeSource(api, false))
	gnu := []string{clang, "--target=x86_64-w64-windows-gnu", "-std=c++11", "-Wall", "-Werror", "-I", "../../include"}
	dump := runTool(t, append(gnu, "-Xclang", "-fdump-vtable-layouts", "-S", "-o", os.DevNull, src)...)
	checkSlots(t, api, dump, 2)

	t.Run("g++", func(t *testing.T) {
		gxx := requireWindowsTool(t, "x86_64-w64-mingw32-g++-posix")
		clangAsm, gxxAsm := filepath.Join(t.TempDir(), "clang.s"), filepath.Join(t.TempDir(), "gxx.s")
		runTool(t, append(gnu, "-S", "-o", clangAsm, src)...)
		runTool(t, gxx, "-std=c++11", "-Wall", "-Werror", "-I", "../../include", "-S", "-o", gxxAsm, src)
		want, got := vtablesIn(t, clangAsm), vtablesIn(t, gxxAsm)
		require.Len(t, want, len(api.Interfaces))
		require.Equal(t, want, got, "MinGW g++'s vtables (got) against clang's for the MinGW target (want)")
	})
}

// vtablesIn reads, from an assembly file, the entries of every probe's vtable (_ZTV…Probe_…):
// the mangled names of the overriders, which tell overloads apart by their parameter types.
func vtablesIn(t *testing.T, asmPath string) map[string][]string {
	text, err := os.ReadFile(asmPath)
	require.NoError(t, err)
	out := map[string][]string{}
	cur := ""
	for _, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "_ZTV") && strings.Contains(line, "Probe_") && strings.HasSuffix(line, ":") {
			cur = strings.TrimSuffix(line, ":")
			out[cur] = nil
			continue
		}
		if cur == "" {
			continue
		}
		if f := strings.Fields(line); len(f) == 2 && f[0] == ".quad" {
			// clang names the complete-object destructor by its equal, the base-object one (D2)
			out[cur] = append(out[cur], strings.Replace(f[1], "D2Ev", "D1Ev", 1))
		} else if line != "" && !strings.HasPrefix(line, "#") {
			cur = ""
		}
	}
	return out
}

// TestSlotsAgreeCWindows asserts at compile time that the C binding's vtable members sit at the
// `slot` column for Windows targets, as a C module built by an MSVC-ABI compiler or MinGW gcc
// sees it.
func TestSlotsAgreeCWindows(t *testing.T) {
	source := cSlotCheck(loadAPI(t), true)
	src := writeTemp(t, "check.c", source)
	t.Run("clang-msvc", func(t *testing.T) {
		tc := msvcToolchain(t)
		runTool(t, append(append([]string{tc.Clang}, tc.CFlags()...), "-std=c11", "-Werror", "-fsyntax-only", src)...)
	})
	t.Run("clang-mingw", func(t *testing.T) {
		runTool(t, requireWindowsTool(t, "clang"), "--target=x86_64-w64-windows-gnu", "-std=c11", "-Wall", "-Werror", "-I", "../../include", "-fsyntax-only", src)
	})
	t.Run("mingw-gcc", func(t *testing.T) {
		runTool(t, requireWindowsTool(t, "x86_64-w64-mingw32-gcc-posix"), "-std=c11", "-Wall", "-Werror", "-I", "../../include", "-fsyntax-only", src)
	})
}

// TestSamplesCompileForWindows compiles the C++ and C hello samples warning-free for Windows
// with MinGW (the host's compilers) and the MSVC target: as the IIS samples do, they define
// _WINSOCKAPI_ before windows.h, which MinGW's winsock2.h warns about unless httpserv.h steps
// the macro aside.
func TestSamplesCompileForWindows(t *testing.T) {
	samples := map[string]string{"c++17": "../../samples/hello/hello.cpp", "c11": "../../samples/cmodule/c_module.c"}
	for std, src := range samples {
		cxx := strings.HasPrefix(std, "c++")
		t.Run(filepath.Base(src)+"/mingw", func(t *testing.T) {
			cc := "x86_64-w64-mingw32-gcc-posix"
			if cxx {
				cc = "x86_64-w64-mingw32-g++-posix"
			}
			runTool(t, requireWindowsTool(t, cc), "-std="+std, "-Wall", "-Wextra", "-Werror", "-I", "../../include", "-fsyntax-only", src)
		})
		t.Run(filepath.Base(src)+"/clang-msvc", func(t *testing.T) {
			tc := msvcToolchain(t)
			argv := append([]string{tc.Clang}, tc.CFlags()...)
			if cxx {
				argv = append([]string{tc.ClangXX}, tc.CXXFlags()...)
			}
			runTool(t, append(argv, "-std="+std, "-Werror", "-fsyntax-only", src)...)
		})
	}
}
