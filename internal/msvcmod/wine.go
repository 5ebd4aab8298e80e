package msvcmod

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// RunUnderWine runs a Windows program (arguments after it) in dir with the 64-bit Wine loader,
// in WINEPREFIX or else a prefix kept under the temporary folder (making one takes Wine tens
// of seconds, so it is reused), and returns what it printed on stdout; Wine's own messages go
// to stderr, which a failure's error carries.
func RunUnderWine(ctx context.Context, dir string, argv ...string) ([]byte, error) {
	loader, err := FindWine()
	if err != nil {
		return nil, err
	}
	prefix := os.Getenv("WINEPREFIX")
	if prefix == "" {
		prefix = filepath.Join(os.TempDir(), fmt.Sprintf("iishost-msvcmod-wine-%d", os.Getuid()))
	}
	cmd := exec.CommandContext(ctx, loader, argv...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WINEPREFIX="+prefix, "WINEDEBUG=-all")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		err = fmt.Errorf("%s under wine: %w\n%s", argv[0], err, stderr.Bytes())
	}
	return out, err
}

// ErrNoWine is returned when no 64-bit Wine loader is installed.
var ErrNoWine = errors.New("wine64 is not installed")

// FindWine finds the 64-bit Wine loader (Debian installs it outside PATH), or ErrNoWine.
func FindWine() (string, error) {
	for _, name := range []string{"wine64", "/usr/lib/wine/wine64", "/usr/lib64/wine/wine64"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoWine
}
