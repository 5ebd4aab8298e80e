package cabi

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildImportHooksHarness builds, with MinGW, testdata/importhooks: the harness program with
// import_hooks_windows.cpp compiled in, and the fixture module twice (fixture.dll, control.dll).
func buildImportHooksHarness(t *testing.T) string {
	gcc := requireTool(t, requireWine, "x86_64-w64-mingw32-gcc-posix")
	gxx := requireTool(t, requireWine, "x86_64-w64-mingw32-g++-posix")
	dir := t.TempDir()
	src, err := filepath.Abs("testdata/importhooks")
	require.NoError(t, err)
	here, err := filepath.Abs(".")
	require.NoError(t, err)
	for _, dll := range []string{"fixture.dll", "control.dll"} {
		runTool(t, nil, dir, nil, gcc, "-Wall", "-Wextra", "-Werror", "-shared", "-o", dll,
			filepath.Join(src, "fixture.c"), "-lole32")
	}
	// Static, so that Wine needs no MinGW runtime DLLs; with the host's flags (platform/cgo.go), so that
	// a warning that would fail the host's build (some need -O2) fails here.
	runTool(t, nil, dir, nil, gxx, "-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-fno-strict-aliasing", "-I", filepath.Join(here, "headers"),
		"-o", "harness.exe", filepath.Join(src, "harness.cpp"), filepath.Join(here, "platform", "import_hooks_windows.cpp"),
		"-static", "-lole32", "-luuid")
	return dir
}

// sections splits the harness output at its "== name" lines.
func sections(out string) map[string]string {
	parts := map[string]string{}
	name := ""
	for line := range strings.SplitAfterSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "== "); ok {
			name = strings.TrimSpace(rest)
			continue
		}
		parts[name] += line
	}
	return parts
}

// TestImportHooksUnderWine runs import_hooks_windows.cpp under Wine, in a harness built with MinGW.
func TestImportHooksUnderWine(t *testing.T) {
	wine := newWineRunner(t)
	dir := buildImportHooksHarness(t)
	t.Run("module calls", func(t *testing.T) { testImportHooksModuleCalls(t, wine, dir) })
	t.Run("hostile images", func(t *testing.T) { testImportHooksHostileImages(t, wine, dir) })
}

// testImportHooksModuleCalls: the hooked module's event-log and OutputDebugString calls reach the
// sink as UTF-8 records, the admin manager's class comes from the sink, other classes from the
// real ole32, and an unhooked module loaded beside it still calls Windows.
func testImportHooksModuleCalls(t *testing.T, wine wineRunner, dir string) {
	out := sections(wine.run(t, dir, "harness.exe", "hooks"))

	assert.Equal(t, "hook first: 8 entries\n", out[""], "every hooked function the fixture imports")
	assert.Equal(t, `sink first: event source="Fixture événements" type=2 category=3 id=1001 data=4 strings=[café][😀 grin]
ReportEventW: 1
ReportEventW without strings: 0 error=87
DeregisterEventSource: 1
sink first: event source="Narrow" type=1 category=0 id=7 data=0 strings=[plain text]
ReportEventA: 1
DeregisterEventSource: 1
sink first: debug "debug narrow\n"
sink first: debug "debug wide ü"
sink first: create admin manager
admin manager: hr=0x00000000 object=yes
sink: admin object released
sink first: create admin manager
sink: admin object released
admin manager aggregated: hr=0x80040110 object=no
unknown class: hr=0x80040154 object=no
global interface table: hr=0x00000000 object=yes
`, out["fixture"])

	// The control module's calls went to Wine: nothing reached the sink, and ole32 does not know
	// the admin manager's class.
	assert.NotContains(t, out["control"], "sink")
	assert.Contains(t, out["control"], "admin manager: hr=0x80040154 object=no\n")
	assert.Contains(t, out["control"], "global interface table: hr=0x00000000 object=yes\n")

	// Hooking a module again only moves its records to the new sink.
	assert.Equal(t, "hook second: 8 entries\nsink second: debug \"after the second host\\n\"\n", out["again"])
}

// testImportHooksHostileImages hands the hook installer images with one fault each, in memory:
// every fault is refused with its reason, none is read past the mapping, and a valid image's
// entry is rewritten and reaches the sink.
func testImportHooksHostileImages(t *testing.T, wine wineRunner, dir string) {
	out := wine.run(t, dir, "harness.exe", "hostile")
	assert.Equal(t, `no MZ: error: no DOS (MZ) header at the module's base
PE header far outside: error: PE header at 0x7FFFFFF0 is outside the 8192 bytes mapped
negative PE header offset: error: PE header at 0xFFFFFFF8 is outside the 8192 bytes mapped
PE header across the end: error: PE header at 0x1FF0 is outside the 8192 bytes mapped
no PE signature: error: no PE signature at 0x80
PE32 image: error: not a PE32+ (64-bit) image: optional header magic 0x10B
SizeOfImage beyond the mapping: error: SizeOfImage 0x100000 exceeds the 8192 bytes mapped
import directory past the image: error: import directory (RVA 0x1F00, 4096 bytes) runs past the image's 8192 bytes
import directory of 4 GiB: error: import directory (RVA 0x1000, 4294967295 bytes) runs past the image's 8192 bytes
DLL name outside: error: import 0: DLL name at RVA 0xFFFF0000 is outside the image or unterminated
DLL name unterminated: error: import 0: DLL name at RVA 0x1FFC is outside the image or unterminated
name table across the end: error: import 0 (KERNEL32.dll): entry 0 is outside the image
entry table outside: error: import 0 (KERNEL32.dll): entry 0 is outside the image
function name outside: error: import 0 (KERNEL32.dll): entry 0 names RVA 0x7FFFFF00, outside the image
misaligned entry: error: import 0 (KERNEL32.dll): OutputDebugStringA's entry at RVA 0x1181 is misaligned
no import directory: 0 entries
too few data directories: 0 entries
not a system DLL: 0 entries
by ordinal: 0 entries
other function: 0 entries
unreadable: -1 the module's first bytes are not readable
valid: 1 entries
entry changed: yes
sink crafted: debug "through a crafted entry"
limit: 63 more hooked, then: more than 64 modules use the event log, OutputDebugString or CoCreateInstance
`, out)
}
