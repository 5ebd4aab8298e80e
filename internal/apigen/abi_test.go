package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/apispec"
)

func loadAPI(t *testing.T) *apispec.API {
	api, err := apispec.Load("../../api")
	require.NoError(t, err)
	return api
}

// TestGeneratedFilesCurrent fails when api/ changed but the generated files were not rewritten.
func TestGeneratedFilesCurrent(t *testing.T) {
	for path, want := range Generate(loadAPI(t)) {
		got, err := os.ReadFile(filepath.Join("../..", path))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%s is stale: run go run ./internal/apigen", path)
	}
}

// cxxSlotCheck writes a C++ program that reads, through pointers to member functions, the
// vtable index the compiler gives every method of the header, and compares it with the table.
func cxxSlotCheck(api *apispec.API) string {
	var b strings.Builder
	b.WriteString(`#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>
#include <ahadmin.h>
#include <iiswebsocket.h>
#include <cstdio>
#include <cstring>
#include <cstdint>

static int failures = 0;

// Itanium ABI: a pointer to a virtual member function holds 1 + the vtable offset in bytes.
template <class F> static long SlotOf(F f)
{
    struct { uintptr_t ptr; ptrdiff_t adj; } rep;
    static_assert(sizeof(F) == sizeof(rep), "Itanium member pointer");
    std::memcpy(&rep, &f, sizeof(rep));
    return (rep.ptr & 1) ? long((rep.ptr - 1) / sizeof(void *)) : -1;
}

static void Check(long got, long want, const char *what)
{
    if (got != want) {
        std::printf("%s: slot %ld, table says %ld\n", what, got, want);
        failures++;
    }
}

int main()
{
`)
	for _, it := range api.Interfaces {
		for _, m := range it.Own() {
			if strings.HasPrefix(m.Name, "~") {
				continue
			}
			var types []string
			for _, p := range m.Params {
				types = append(types, p.Type)
			}
			cnst := ""
			if m.Const {
				cnst = " const"
			}
			fmt.Fprintf(&b, "    Check(SlotOf(static_cast<%s (STDMETHODCALLTYPE %s::*)(%s)%s>(&%s::%s)), %d, \"%s::%s(%s)%s\");\n",
				m.Returns, it.Name, strings.Join(types, ", "), cnst, it.Name, m.Name, m.Itanium[0], it.Name, m.Name, strings.Join(types, ", "), cnst)
		}
	}
	b.WriteString("    std::printf(\"%d mismatches\\n\", failures);\n    return failures != 0;\n}\n")
	return b.String()
}

// cSlotCheck asserts at compile time that every C binding member sits at its table slot: the
// Itanium slot on Linux, the MSVC slot (one deleting destructor) for Windows targets.
func cSlotCheck(api *apispec.API, windows bool) string {
	var b strings.Builder
	if windows {
		b.WriteString("#include <httpserv.h>\n#include <ahadmin.h>\n#include <iiswebsocket.h>\n#include <stddef.h>\n\n")
	} else {
		b.WriteString("#define _WINSOCKAPI_\n#include <windows.h>\n#include <httpserv.h>\n#include <ahadmin.h>\n#include <iiswebsocket.h>\n#include <stddef.h>\n\n")
	}
	for _, it := range api.Interfaces {
		slots := 0
		for _, m := range it.Methods {
			name, at := cName(it, m), m.Itanium
			if windows {
				at = []int{m.Slot}
			}
			slots += len(at)
			if strings.HasPrefix(m.Name, "~") {
				names := []string{"DeletingDestructor"}
				if !windows {
					names = []string{"Destructor", "DeletingDestructor"}
				}
				for i, n := range names {
					fmt.Fprintf(&b, "_Static_assert(offsetof(CHttpModuleVtbl, %s) == %d * sizeof(void *), \"%s\");\n", n, at[i], n)
				}
				continue
			}
			fmt.Fprintf(&b, "_Static_assert(offsetof(%sVtbl, %s) == %d * sizeof(void *), \"%s.%s\");\n", it.Name, name, at[0], it.Name, name)
		}
		fmt.Fprintf(&b, "_Static_assert(sizeof(%sVtbl) == %d * sizeof(void *), \"%s size\");\n", it.Name, slots, it.Name)
	}
	b.WriteString("int main(void) { return 0; }\n")
	return b.String()
}

func compilers(t *testing.T, names ...string) []string {
	var found []string
	for _, n := range names {
		if _, err := exec.LookPath(n); err == nil {
			found = append(found, n)
		}
	}
	require.NotEmpty(t, found, "none of %v is installed", names)
	return found
}

func compileAndRun(t *testing.T, compiler string, std string, source, ext string, run bool) {
	dir := t.TempDir()
	src := filepath.Join(dir, "check"+ext)
	require.NoError(t, os.WriteFile(src, []byte(source), 0o644))
	exe := filepath.Join(dir, "check")
	out, err := exec.Command(compiler, "-std="+std, "-Wall", "-Wextra", "-Werror", "-I", "../../include", "-o", exe, src).CombinedOutput()
	require.NoError(t, err, "%s -std=%s:\n%s", compiler, std, out)
	if run {
		out, err = exec.Command(exe).CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Equal(t, "0 mismatches\n", string(out))
	}
}

// TestSlotsAgreeCxx proves that the C++ classes, as a module compiles them, put every method at
// the Itanium slot the fact table gives, overloads and inherited interfaces included.
func TestSlotsAgreeCxx(t *testing.T) {
	source := cxxSlotCheck(loadAPI(t))
	for _, cc := range compilers(t, "g++", "clang++") {
		t.Run(cc, func(t *testing.T) { compileAndRun(t, cc, "c++11", source, ".cpp", true) })
	}
}

// TestSlotsAgreeC proves the same for the C (lpVtbl) binding.
func TestSlotsAgreeC(t *testing.T) {
	source := cSlotCheck(loadAPI(t), false)
	for _, cc := range compilers(t, "gcc", "clang") {
		t.Run(cc, func(t *testing.T) { compileAndRun(t, cc, "c11", source, ".c", false) })
	}
}
