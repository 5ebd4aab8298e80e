package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// runScript runs one of the repository's header checks and fails with its output.
func runScript(t *testing.T, script string) {
	cmd := exec.Command("bash", "../../scripts/"+script)
	cmd.Env = os.Environ()
	if os.Getenv("CI") != "" {
		// CI installs clang: a missing compiler there is a failure, not a skip.
		cmd.Env = append(cmd.Env, "CHECK_HEADERS_REQUIRE_CLANG=1")
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// TestHeadersCompile compiles the module-facing headers warning-free as C (C99, C11) and C++
// (C++11 to C++20) with gcc and clang, in the prologues real modules use.
func TestHeadersCompile(t *testing.T) { runScript(t, "check-headers.sh") }

// TestStructLayouts checks every field offset and size of the http.h and OLE structs against
// api/structs.tsv.
func TestStructLayouts(t *testing.T) { runScript(t, "check-layout.sh") }
