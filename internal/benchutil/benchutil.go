// Package benchutil holds what the benchmark commands under scripts/ share: building iishost
// and modules into a scratch folder, finding a free port, and waiting for a server.
package benchutil

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/iishost/iishost/internal/modbuild"
)

// Workspace builds cmd/iishost into a new temporary folder, with each module source (relative
// to the repository root) as <name>.so beside it. The caller removes the folder.
func Workspace(prefix string, modules map[string]string) (string, error) {
	root, err := modbuild.RepoRoot(".")
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	for name, src := range modules {
		if err := modbuild.Build(modbuild.Options{Root: root, Inputs: []string{filepath.Join(root, src)}, Out: filepath.Join(dir, name+".so")}); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "iishost"), "./cmd/iishost")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return dir, nil
}

// FreeAddr returns a loopback address nothing listens on right now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// WaitUp polls url until it answers or timeout passes.
func WaitUp(url string, timeout time.Duration) error {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return nil
		}
	}
	return fmt.Errorf("%s did not come up", url)
}

// Stop kills a server the script started and waits for it. A context's cancel is not enough
// when the script returns straight after it: the goroutine that would kill the child may not
// run before the script exits, and the server is left serving.
func Stop(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}
