package benchutil

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestThreadCPUTicksReadsOneThread: a thread's own times come from its task entry and are
// never more than its process's, which sum every thread; a missing thread names its path.
func TestThreadCPUTicksReadsOneThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mine, err := ThreadCPUTicks(os.Getpid(), syscall.Gettid())
	require.NoError(t, err)
	all, err := CPUTicks(os.Getpid())
	require.NoError(t, err)
	require.LessOrEqual(t, mine, all)

	_, err = ThreadCPUTicks(os.Getpid(), 1<<30)
	require.ErrorContains(t, err, fmt.Sprintf("/proc/%d/task/1073741824/stat", os.Getpid()))
}
