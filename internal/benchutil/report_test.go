package benchutil

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMachine(t *testing.T) {
	m := Machine(time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC))
	assert.Contains(t, m, "2026-12-07 16:00 UTC")
	assert.Contains(t, m, "Processors online (nproc --all): ")
	assert.GreaterOrEqual(t, OnlineCPUs(), runtime.NumCPU(), "affinity never hides a processor from the count")
	assert.Contains(t, m, "Go: go")
}
