package host_test

import (
	"context"
	"debug/elf"
	"encoding/binary"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/cabi"
)

// compileC builds a tiny C program with gcc and the given flags, for files that are ELF but not
// modules. The source is read from stdin.
func compileC(t *testing.T, out string, flags ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{"-x", "c", "-o", out}, flags...)
	args = append(args, "-")
	cmd := exec.CommandContext(ctx, "gcc", args...)
	cmd.Stdin = strings.NewReader("int main(void) { return 0; }\n")
	output, err := cmd.CombinedOutput()
	require.NoError(t, err, "gcc %v: %s", args, output)
}

// otherArch is an ELF machine that is not this host's.
func otherArch() elf.Machine {
	if runtime.GOARCH == "arm64" {
		return elf.EM_X86_64
	}
	return elf.EM_AARCH64
}

// withMachine copies a shared library and patches its ELF header's e_machine (2 bytes at offset 18),
// so that it claims another architecture and is otherwise intact.
func withMachine(t *testing.T, src string, m elf.Machine) string {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	require.Greater(t, len(data), 20)
	require.Equal(t, byte(elf.ELFDATA2LSB), data[elf.EI_DATA], "the patch below assumes a little-endian ELF")
	binary.LittleEndian.PutUint16(data[18:], uint16(m))
	out := filepath.Join(t.TempDir(), "otherarch.so")
	require.NoError(t, os.WriteFile(out, data, 0o755))
	return out
}

// slogValue renders a string the way slog's text handler does.
func slogValue(s string) string {
	if s == "" || strings.ContainsAny(s, " =\"\\") || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return strconv.Quote(s)
	}
	return s
}

// logLine returns the log line whose message is msg, without its time= prefix.
func logLine(t *testing.T, log, msg string) string {
	t.Helper()
	for line := range strings.SplitSeq(log, "\n") {
		if strings.Contains(line, " msg="+slogValue(msg)+" ") {
			_, rest, ok := strings.Cut(line, " ")
			require.True(t, ok, "log line without fields: %q", line)
			return rest
		}
	}
	t.Fatalf("no %q record in the log:\n%s", msg, log)
	return ""
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()

	textFile := filepath.Join(dir, "readme.so")
	require.NoError(t, os.WriteFile(textFile, []byte("This is a text file, not a module.\nIt has two lines.\n"), 0o644))

	windowsDLL := filepath.Join(dir, "module.dll") // the header of a PE image
	require.NoError(t, os.WriteFile(windowsDLL, append([]byte("MZ\x90\x00"), make([]byte, 508)...), 0o644))

	subdir := filepath.Join(dir, "modules.so")
	require.NoError(t, os.Mkdir(subdir, 0o755))

	object := filepath.Join(dir, "object.o") // ET_REL
	compileC(t, object, "-c", "-fPIC")
	executable := filepath.Join(dir, "program") // ET_EXEC
	compileC(t, executable, "-no-pie")
	pie := filepath.Join(dir, "pie") // ET_DYN, so only dlopen can tell
	compileC(t, pie, "-fPIE", "-pie")

	good := hosttest.Build(t, "samples/hello/hello.cpp")
	foreign := withMachine(t, good, otherArch())
	missing := filepath.Join(dir, "missing.so")

	tests := []struct {
		name, module, image string
		kind                error // matched with errors.Is
		reason              string
	}{
		{"missing file", "Missing", missing, host.ErrNoImage, "no such file"},
		{"text file", "Text", textFile, host.ErrNotSharedLibrary,
			"not a shared library: it is a text file, not an ELF image"},
		{"Windows DLL", "Dll", windowsDLL, host.ErrNotSharedLibrary,
			"not a shared library: it is a Windows (MZ/PE) image, not an ELF image"},
		{"directory", "Dir", subdir, host.ErrNotSharedLibrary, "not a shared library: it is a directory"},
		{"relocatable object", "Object", object, host.ErrNotSharedLibrary, "not a shared library: ELF type is ET_REL"},
		{"executable", "Program", executable, host.ErrNotSharedLibrary, "not a shared library: ELF type is ET_EXEC"},
		{"other architecture", "Foreign", foreign, host.ErrWrongArch,
			"wrong architecture: built for " + otherArch().String() + ", this host is " + runtime.GOARCH},
		{"no RegisterModule", "NoExport", hosttest.Build(t, "testdata/modules/noexport.cpp"), host.ErrNoEntryPoint,
			"does not export RegisterModule"},
		{"RegisterModule fails", "Bad", hosttest.Build(t, "testdata/modules/failreg.cpp"), cabi.ErrRegistration,
			"registration failed: RegisterModule returned HRESULT 0x8007064A"},
		{"DllMain refuses", "DllMainFail", hosttest.Build(t, "testdata/modules/dllmainfail.cpp"), host.ErrDllMain,
			"DllMain failed: DllMain returned FALSE for DLL_PROCESS_ATTACH"},
		{"RegisterModule throws", "Thrower", hosttest.Build(t, "testdata/modules/throwreg.cpp"), cabi.ErrRegistration,
			"registration failed: RegisterModule threw an exception: registration exploded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, log, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: tt.module, Image: tt.image})
			require.Error(t, err)
			assert.Nil(t, srv)
			want := "module " + strconv.Quote(tt.module) + " (" + tt.image + "): " + tt.reason
			assert.Equal(t, want, err.Error())
			assert.ErrorIs(t, err, tt.kind)

			var me *host.ModuleError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tt.module, me.Module)
			assert.Equal(t, tt.image, me.Image)

			assert.Equal(t,
				"level=ERROR msg=\"module failed to load\" module="+slogValue(tt.module)+
					" image="+slogValue(tt.image)+" error="+slogValue(want),
				logLine(t, log.String(), "module failed to load"))
			assert.NotContains(t, log.String(), "module loaded")
		})
	}

	// dlopen's own refusal, for an ELF shared object the header check lets through.
	t.Run("position-independent executable", func(t *testing.T) {
		_, log, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Pie", Image: pie})
		require.Error(t, err)
		want := "module \"Pie\" (" + pie + "): dlopen: " + pie + ": cannot dynamically load position-independent executable"
		assert.Equal(t, want, err.Error())
		var me *host.ModuleError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, "Pie", me.Module)
		assert.Contains(t, log.String(), " error="+slogValue(want))
	})

	// The patched copy differs from a loadable library only in e_machine.
	t.Run("unpatched original loads", func(t *testing.T) {
		srv, _, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Hello", Image: good})
		require.NoError(t, err)
		require.NoError(t, srv.Close())
	})
}

// A module that failed to load ends startup: the modules loaded before it are terminated, and the
// ones after it are never loaded.
func TestLoadFailureTerminatesLoadedModules(t *testing.T) {
	global := hosttest.Build(t, "testdata/modules/global.cpp")
	failreg := hosttest.Build(t, "testdata/modules/failreg.cpp")
	events := filepath.Join(t.TempDir(), "global.log")
	t.Setenv("IISHOST_GLOBAL_LOG", events)

	srv, log, err := hosttest.Start(t, hosttest.Options{},
		hosttest.Module{Name: "global-a", Image: global},
		hosttest.Module{Name: "Bad", Image: failreg},
		hosttest.Module{Name: "global-b", Image: global})
	require.Error(t, err)
	assert.Nil(t, srv)
	assert.Equal(t, "module \"Bad\" ("+failreg+"): registration failed: RegisterModule returned HRESULT 0x8007064A", err.Error())
	assert.ErrorIs(t, err, cabi.ErrRegistration)

	data, err := os.ReadFile(events)
	require.NoError(t, err)
	assert.Equal(t, "global-a Terminate\n", string(data), "no ApplicationStart: the application never started")

	assert.Equal(t, "level=INFO msg=\"module loaded\" module=global-a image="+slogValue(global)+
		" notifications=[] post_notifications=[] global_notifications=\"[StopListening PreBeginRequest ApplicationStart ApplicationStop]\"",
		logLine(t, log.String(), "module loaded"))
	assert.NotContains(t, log.String(), "module=global-b")
}

func TestLoadDuplicateModuleName(t *testing.T) {
	hello := hosttest.Build(t, "samples/hello/hello.cpp")
	global := hosttest.Build(t, "testdata/modules/global.cpp")
	cfg := &host.Config{Sites: []host.Site{host.DefaultSite(t.TempDir())}}
	require.NoError(t, cfg.AddModule("Hello="+hello))

	// Names compare case-insensitively, as in IIS.
	err := cfg.AddModule("hello=" + global)
	require.Error(t, err)
	assert.Equal(t, "-module \"hello="+global+"\": module \"Hello\" is already declared", err.Error())

	srv, err := host.New(cfg, host.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	defer srv.Close()
	require.Len(t, srv.Modules(), 1)
	assert.Equal(t, "Hello", srv.Modules()[0].Name)
	assert.Equal(t, hello, srv.Modules()[0].Image)
}
