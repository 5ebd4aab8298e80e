package host_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// BenchmarkHandlerHelloModuleTraced is BenchmarkHandlerHelloModule with a failed-request
// tracing rule that covers the URL but never fails it: the cost of recording every request.
func BenchmarkHandlerHelloModuleTraced(b *testing.B) {
	cfg := frebConfig(b, b.TempDir(), "", frebRules("*", `statusCodes="599"`))
	srv, _, err := hosttest.Start(b, hosttest.Options{Config: cfg}, hosttest.Module{Name: "Hello", Image: hosttest.Build(b, "samples/hello/hello.cpp")})
	require.NoError(b, err)
	b.Cleanup(func() { srv.Close() })
	benchHandler(b, srv)
}
