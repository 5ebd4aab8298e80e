// Package winetest runs Windows programs under Wine for tests: it finds the tools, keeps a Wine
// prefix in the user cache (one per Wine version, made once and shared by parallel test
// processes), and starts programs in it. Its own tests hold the Windows subset: iishost.exe
// under Wine with modules built by an MSVC-ABI compiler (iishost_test.go).
//
// A test that needs Wine calls Setup; without the tools it skips, naming what is missing, unless
// IISHOST_REQUIRE_WINE=1 is set (CI's plain pass), where that is a failure. Under -race or -asan
// it always skips: the Windows subset runs once, in the plain pass.
package winetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv names the variable that makes missing Wine tools a failure instead of a skip.
const RequireEnv = "IISHOST_REQUIRE_WINE"

// CC is the MinGW-w64 C compiler; its -posix variant has the threads (std::thread, std::mutex)
// that the default win32-thread one lacks.
const CC = "x86_64-w64-mingw32-gcc-posix"

// CXX is the MinGW-w64 C++ compiler, -posix for the same reason.
const CXX = "x86_64-w64-mingw32-g++-posix"

// setupTimeout bounds making a prefix (wineboot takes 20-40 s) and each wine tool call.
const setupTimeout = 5 * time.Minute

// Env is a ready Wine prefix and the tools that run programs in it.
type Env struct {
	Wine       string // the 64-bit loader, which runs a .exe given as its first argument
	Wineserver string
	Prefix     string // WINEPREFIX
	users      *os.File
}

var (
	setupOnce sync.Once
	shared    *Env
	setupErr  error
)

// Setup returns this process's Wine environment, making the prefix on first use.
func Setup(t testing.TB) *Env {
	t.Helper()
	if Instrumented {
		t.Skip("the Windows subset under Wine runs in the plain go test pass only, not under -race or -asan")
	}
	wine := Tool(t, "wine64", "/usr/lib/wine/wine64", "/usr/lib64/wine/wine64", "wine")
	wineserver := Tool(t, "wineserver", "/usr/lib/wine/wineserver64")
	cc := Tool(t, CC)
	setupOnce.Do(func() {
		shared, setupErr = setup(wine, wineserver, cc)
	})
	if setupErr != nil {
		t.Fatalf("winetest: %v", setupErr)
	}
	return shared
}

// Tool returns the path of the first of names found (a name with a slash is taken as a path).
// If none is, the test skips naming them, or fails when RequireEnv is set.
func Tool(t testing.TB, names ...string) string {
	t.Helper()
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	Missing(t, "%s not found (the Windows subset needs Wine, MinGW-w64 and clang/lld)", strings.Join(names, " or "))
	return ""
}

// Missing skips the test for a reason outside the code under test (a tool, a Wine limit), or
// fails it when RequireEnv asks for the whole subset to run.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf(format+" ("+RequireEnv+"=1)", args...)
		return
	}
	t.Skipf(format, args...)
}

//go:embed shim/bcryptprimitives.c
var shimSource []byte

//go:embed shim/bcryptprimitives.def
var shimDef []byte

func setup(wine, wineserver, cc string) (*Env, error) {
	version, err := output(wine, "--version")
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", wine, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "iishost", "wine")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	e := &Env{Wine: wine, Wineserver: wineserver, Prefix: filepath.Join(dir, fileSafe(version))}
	lockPath := e.Prefix + ".lock"
	lock, err := lockFile(lockPath, false)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	err = e.prepare(cc)
	lock.Close()
	if err != nil {
		return nil, fmt.Errorf("Wine prefix %s: %w", e.Prefix, err)
	}
	// Held shared while this process uses the prefix: Shutdown stops the wineserver only when
	// no other test process holds it.
	if e.users, err = lockFile(lockPath, true); err != nil {
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	return e, nil
}

var unsafeRun = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileSafe turns "wine-8.0 (Debian 8.0~repack-4)" into a directory name.
func fileSafe(s string) string {
	return strings.Trim(unsafeRun.ReplaceAllString(strings.TrimSpace(s), "_"), "_")
}

// Markers in the prefix: booted is written once wineboot has finished; shim holds the hash of
// the shim source installed.
const (
	bootedMarker = ".iishost-booted"
	shimMarker   = ".iishost-shim"
)

// prepare boots the prefix if an earlier run did not finish doing so, and installs the shim
// if it is missing or stale. The caller holds the exclusive lock.
func (e *Env) prepare(cc string) error {
	if _, err := os.Stat(filepath.Join(e.Prefix, bootedMarker)); err != nil {
		if err := os.RemoveAll(e.Prefix); err != nil {
			return err
		}
		if _, err := e.tool(e.Wine, "wineboot", "-i"); err != nil {
			return fmt.Errorf("wineboot -i: %w", err)
		}
		// The registry is written when the prefix's processes have exited.
		if _, err := e.tool(e.Wineserver, "-w"); err != nil {
			return fmt.Errorf("wineserver -w: %w", err)
		}
		if err := os.WriteFile(filepath.Join(e.Prefix, bootedMarker), nil, 0o644); err != nil {
			return err
		}
	}
	return e.installShim(cc)
}

// installShim puts our bcryptprimitives.dll into system32 unless Wine brought its own.
func (e *Env) installShim(cc string) error {
	sum := sha256.Sum256(append(append([]byte{}, shimSource...), shimDef...))
	want := hex.EncodeToString(sum[:])
	marker := filepath.Join(e.Prefix, shimMarker)
	installed, markerErr := os.ReadFile(marker)
	if string(installed) == want {
		return nil
	}
	dll := filepath.Join(e.Prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if _, err := os.Stat(dll); err == nil && markerErr != nil {
		return nil // Wine's own
	}
	work, err := os.MkdirTemp("", "iishost-shim-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	src, def := filepath.Join(work, "bcryptprimitives.c"), filepath.Join(work, "bcryptprimitives.def")
	if err := os.WriteFile(src, shimSource, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(def, shimDef, 0o644); err != nil {
		return err
	}
	built := filepath.Join(work, "bcryptprimitives.dll")
	if _, err := output(cc, "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-s", "-o", built, src, def, "-ladvapi32"); err != nil {
		return fmt.Errorf("build the bcryptprimitives.dll shim: %w", err)
	}
	data, err := os.ReadFile(built)
	if err != nil {
		return err
	}
	if err := os.WriteFile(dll, data, 0o644); err != nil {
		return err
	}
	return os.WriteFile(marker, []byte(want), 0o644)
}

// Environ returns env (the test's environment when nil) with this prefix's Wine variables.
func (e *Env) Environ(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	return append(env[:len(env):len(env)],
		"WINEPREFIX="+e.Prefix,
		"WINEDEBUG=-all",
		// No Mono or Gecko install prompts: no test uses .NET or the HTML engine.
		"WINEDLLOVERRIDES=mscoree,mshtml=",
	)
}

// tool runs a Wine tool in the prefix and returns its combined output.
func (e *Env) tool(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = e.Environ(nil)
	return combined(cmd)
}

func output(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	return combined(exec.CommandContext(ctx, name, args...))
}

// combined runs cmd and returns its output; a failure's error carries the output.
func combined(cmd *exec.Cmd) (string, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%w: %s", err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// Shutdown lets go of the prefix at the end of a test binary (call it from TestMain after
// m.Run); the last process using the prefix stops its wineserver.
func Shutdown() {
	e := shared
	if e == nil || e.users == nil {
		return
	}
	if tryExclusive(e.users) {
		_, err := e.tool(e.Wineserver, "-k")
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) { // -k exits non-zero when no server runs
			fmt.Fprintf(os.Stderr, "winetest: wineserver -k: %v\n", err)
		}
	}
	e.users.Close()
	e.users = nil
}

// WindowsPath names a Unix path the way a program under Wine sees it: on drive Z:, which Wine
// maps to the Unix root.
func WindowsPath(path string) string {
	return `Z:` + strings.ReplaceAll(path, "/", `\`)
}
