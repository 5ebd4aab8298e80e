package host_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func reqMemoryServer(t *testing.T, opts hosttest.Options) *hosttest.Server {
	t.Helper()
	return hosttest.ServeWith(t, opts, hosttest.Module{Name: "ReqMemory", Image: hosttest.Build(t, "testdata/modules/reqmemory.cpp")})
}

// TestRequestMemoryZeroed: memory a module takes (AllocateRequestMemory, IModuleAllocator) is
// all zero, even where the request before it on the same state left another client's secret.
// Sequential requests on one keep-alive connection reuse one request state.
func TestRequestMemoryZeroed(t *testing.T) {
	srv := reqMemoryServer(t, hosttest.Options{})
	c := newWireClient(t)
	secret := strings.Repeat("SECRET-", 600)
	query := "token=" + strings.Repeat("TOPSECRET", 200)
	const want = "16=zero\n1000=zero\n3000=zero\n100000=zero\nallocator=zero\n"
	for i := range 20 {
		res := c.get(t, srv.URL+"/mem/secret?"+query, "X-Secret", secret)
		require.Equal(t, http.StatusOK, res.resp.StatusCode)
		require.Equal(t, secret+"|"+query, res.body)
		res = c.get(t, srv.URL+"/mem/zero")
		require.Equal(t, http.StatusOK, res.resp.StatusCode)
		require.Equal(t, want, res.body, "round %d", i)
		require.Equal(t, res.local, c.get(t, srv.URL+"/mem/zero").local, "one connection")
	}
}

// TestRequestMemoryHugeRefused: 0xFFFFFFFF bytes ("4 GiB") from AllocateRequestMemory is NULL,
// logged once, and the server goes on serving.
func TestRequestMemoryHugeRefused(t *testing.T) {
	srv := reqMemoryServer(t, hosttest.Options{})
	c := newWireClient(t)
	res := c.get(t, srv.URL+"/mem/huge")
	require.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Equal(t, "huge=null", res.body)
	assert.Contains(t, srv.Log.String(), "AllocateRequestMemory of 4294967295 bytes refused: it would pass the cap of 268435456 bytes per request")
	assert.Contains(t, srv.Log.String(), "module=ReqMemory")

	res = c.get(t, srv.URL+"/mem/zero")
	assert.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Contains(t, res.body, "100000=zero\n")
}

// TestRequestMemoryCap: MaxRequestMemory bounds what one request's modules take in total; the
// next request has the whole cap again.
func TestRequestMemoryCap(t *testing.T) {
	srv := reqMemoryServer(t, hosttest.Options{MaxRequestMemory: 1 << 20})
	c := newWireClient(t)
	for range 2 {
		res := c.get(t, srv.URL+"/mem/fill?"+url.Values{"chunk": {"65536"}}.Encode())
		require.Equal(t, http.StatusOK, res.resp.StatusCode)
		// 15 chunks: the 64 bytes the factory took from IModuleAllocator count too.
		assert.Equal(t, "total=983040", res.body)
	}
	assert.Equal(t, 2, strings.Count(srv.Log.String(), "AllocateRequestMemory of 65536 bytes refused: it would pass the cap of 1048576 bytes per request"))
}
