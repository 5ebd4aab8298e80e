package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/apispec"
	"github.com/iishost/iishost/internal/winetest"
)

// callerSource is an MSVC-ABI module that calls, by number (callIDs), any method of any
// interface on an object it is handed, through a pointer to member of the exact signature, so
// overloads are told apart as a module's calls are.
func callerSource(api *apispec.API) string {
	var b strings.Builder
	b.WriteString(`#include <httpserv.h>
#include <ahadmin.h>
#include <iiswebsocket.h>

// A zero of any parameter type; references refer to a zeroed static.
template <class T> struct Arg { static T get() { return T(); } };
template <class T> struct Arg<T &> { static T &get() { static T v; return v; } };
template <class T> struct Arg<const T &> { static const T &get() { static T v; return v; } };

extern "C" __declspec(dllexport) int __cdecl CallMethod(void *obj, int id)
{
    switch (id) {
`)
	ids := callIDs(api)
	for _, it := range api.Interfaces {
		for _, m := range it.Methods {
			id, ok := ids[m]
			if !ok {
				continue
			}
			var types, args []string
			for _, p := range m.Params {
				types = append(types, p.Type)
				args = append(args, fmt.Sprintf("Arg<%s>::get()", p.Type))
			}
			cnst := ""
			if m.Const {
				cnst = " const"
			}
			fmt.Fprintf(&b, "    case %d: (static_cast<%s *>(obj)->*static_cast<%s (STDMETHODCALLTYPE %s::*)(%s)%s>(&%s::%s))(%s); return 0;\n",
				id, it.Name, m.Returns, it.Name, strings.Join(types, ", "), cnst, it.Name, m.Name, strings.Join(args, ", "))
		}
	}
	b.WriteString(`    }
    return -1;
}

HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *, IHttpServer *) { return S_OK; }
`)
	return b.String()
}

// hostSource is a MinGW program with the recording probes: it hands the DLL one probe of each
// interface and has it call every method, checking that each call reaches that method.
func hostSource(api *apispec.API) string {
	var b strings.Builder
	b.WriteString(probeSource(api, true))
	b.WriteString("#include <cstdio>\n\nstatic const char *const names[] = {\n")
	ids := callIDs(api)
	for _, it := range api.Interfaces {
		for _, m := range it.Methods {
			if _, ok := ids[m]; ok {
				fmt.Fprintf(&b, "    \"%s::%s\",\n", it.Name, tableKey(m))
			}
		}
	}
	b.WriteString(`};

typedef int (__cdecl *CallFn)(void *, int);
static int calls, mismatches;

static void Expect(CallFn call, void *obj, int id)
{
    probeCalled = -1;
    int rc = call(obj, id);
    calls++;
    if (rc != 0 || probeCalled != id) {
        std::printf("%s reached %s (rc %d)\n", names[id], probeCalled >= 0 ? names[probeCalled] : "nothing", rc);
        mismatches++;
    }
}

int main()
{
    HMODULE dll = LoadLibraryA("calls.dll");
    if (dll == NULL) {
        std::printf("LoadLibrary(calls.dll): error %lu\n", GetLastError());
        return 2;
    }
    CallFn call = reinterpret_cast<CallFn>(GetProcAddress(dll, "CallMethod"));
`)
	for _, it := range api.Interfaces {
		fmt.Fprintf(&b, "    {\n        Probe_%s o;\n", it.Name)
		for _, m := range it.Methods {
			if id, ok := ids[m]; ok {
				fmt.Fprintf(&b, "        Expect(call, static_cast<%s *>(&o), %d);\n", it.Name, id)
			}
		}
		b.WriteString("    }\n")
	}
	b.WriteString("    std::printf(\"%d calls, %d mismatches\\n\", calls, mismatches);\n    return mismatches != 0;\n}\n")
	return b.String()
}

// TestCallsCrossMSVCToMinGW runs the layouts against each other under Wine: an MSVC-ABI DLL
// (built by msvcmod, reading httpserv.h as Visual C++ does) calls every method of every
// interface on objects of a MinGW g++ program (reading it as the Windows host does), and each
// call must land in the method it names: every overload, inherited slot and COM method.
func TestCallsCrossMSVCToMinGW(t *testing.T) {
	tc := msvcToolchain(t)
	gxx := requireWindowsTool(t, winetest.CXX)
	wine := winetest.Setup(t) // skips under -race and -asan: the Wine tests run in the plain pass
	api := loadAPI(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	dllSrc := filepath.Join(dir, "calls.cpp")
	require.NoError(t, os.WriteFile(dllSrc, []byte(callerSource(api)), 0o644))
	require.NoError(t, tc.Build(ctx, []string{dllSrc}, filepath.Join(dir, "calls.dll")))
	hostSrc := filepath.Join(dir, "host.cpp")
	require.NoError(t, os.WriteFile(hostSrc, []byte(hostSource(api)), 0o644))
	runTool(t, gxx, "-std=c++11", "-Wall", "-Werror", "-I", "../../include", "-static", "-o", filepath.Join(dir, "host.exe"), hostSrc)

	stdout, stderr, err := wine.RunIn(ctx, dir, "host.exe")
	require.NoError(t, err, "%s%s", stdout, stderr)
	want := fmt.Sprintf("%d calls, 0 mismatches", len(callIDs(api)))
	require.Contains(t, stdout, want)
}
