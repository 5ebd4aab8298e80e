package host_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func TestSmokeHello(t *testing.T) {
	so := hosttest.Build(t, "samples/hello/hello.cpp")
	srv := hosttest.Serve(t, hosttest.Module{Name: "Hello", Image: so})
	resp, err := http.Get(srv.URL + "/hello")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "Hello, world!", string(body))
	trace := hosttest.Build(t, "testdata/modules/trace.cpp")
	srv2 := hosttest.Serve(t, hosttest.Module{Name: "a", Image: trace}, hosttest.Module{Name: "b-HIGH", Image: trace})
	resp, err = http.Get(srv2.URL + "/x")
	require.NoError(t, err)
	t.Log(resp.StatusCode, resp.Header["X-Trace"])
}
