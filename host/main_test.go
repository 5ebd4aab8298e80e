package host_test

import (
	"os"
	"testing"

	"github.com/iishost/iishost/hosttest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	hosttest.Cleanup()
	os.Exit(code)
}
