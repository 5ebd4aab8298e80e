package host

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashPipe stays open (and uncollected): the handlers keep its descriptor for the rest of the
// test process.
var crashPipe *os.File

// The crash reporter takes only faults inside module calls: a nil dereference in Go, outside
// any, still reaches the Go runtime's handler and is a panic that can be recovered (net/http
// recovers a handler's). The reports themselves are tested through the command's workers.
func TestCrashReporterLeavesGoFaultsToGo(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	crashPipe = w
	require.NoError(t, InstallCrashReporter(int(w.Fd())))

	var recovered any
	func() {
		defer func() { recovered = recover() }()
		var p *int
		*p = 1
	}()
	require.NotNil(t, recovered)
	rerr, ok := recovered.(runtime.Error)
	require.True(t, ok, "%v", recovered)
	assert.Contains(t, rerr.Error(), "nil pointer dereference")

	// A report is written before the handler returns, so it would be in the pipe by now.
	require.NoError(t, r.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	n, err := r.Read(make([]byte, 1))
	assert.Zero(t, n, "nothing reported: no module call was running")
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
}
