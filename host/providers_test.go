package host_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// TestProviders: the provider and server methods of the providers fixture, each through a real
// request.
func TestProviders(t *testing.T) {
	recycles := make(chan host.RecycleRequest, 16)
	srv := hosttest.ServeWith(t, hosttest.Options{OnRecycle: func(r host.RecycleRequest) { recycles <- r }},
		hosttest.Module{Name: "Providers", Image: hosttest.Build(t, "testdata/modules/providers.cpp")})
	get := func(path string, header map[string]string) (*http.Response, string) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	t.Run("SetUser", func(t *testing.T) {
		_, body := get("/prov/user", map[string]string{"X-User": "alice"})
		assert.Equal(t, "user=alice logon=alice type=Fixture", body)
		_, body = get("/prov/refs", nil)
		assert.Equal(t, "refs=0", body, "the request released the user it referenced")
		_, body = get("/prov/user", nil)
		assert.Equal(t, "user= logon= type=", body, "anonymous by default")
	})
	t.Run("error description and kernel cache", func(t *testing.T) {
		_, body := get("/prov/error", nil)
		assert.Equal(t, "desc=broken <b> len=10 kernel=0 flush=0x00000000 flushnull=0x80070057", body)
	})
	t.Run("GetAppConfigPath", func(t *testing.T) {
		_, body := get("/prov/config", nil)
		assert.Equal(t, "app-config=MACHINE/WEBROOT/APPHOST/Default Web Site", body)
	})
	t.Run("ReportUnhealthy and RecycleProcess", func(t *testing.T) {
		_, body := get("/prov/health", nil)
		assert.Equal(t, "ok", body)
		assert.Contains(t, srv.Log.String(), "a module reported the server unhealthy: disk full (HRESULT 0x80004005)")
		assert.Contains(t, srv.Log.String(), "a module asked to recycle the process: leak")
		// Both reach the host's hook, the order between them not guaranteed (one goroutine each).
		var got []host.RecycleRequest
		for len(got) < 2 {
			select {
			case r := <-recycles:
				if r.Reason == "disk full" || r.Reason == "leak" {
					got = append(got, r)
				}
			case <-time.After(10 * time.Second): // hang guard
				t.Fatalf("recycle requests: got %v", got)
			}
		}
		assert.ElementsMatch(t, []host.RecycleRequest{{Unhealthy: true, Reason: "disk full", HRESULT: 0x80004005}, {Reason: "leak"}}, got)
	})
	t.Run("send response flags", func(t *testing.T) {
		resp, body := get("/prov/send", nil)
		assert.Equal(t, "ab", body)
		assert.Equal(t, "headers:2", resp.Header.Get("X-Send"), "the flushed send has more data to come")
		assert.Contains(t, srv.Log.String(), "sends headers:2,body:0")
		assert.False(t, resp.Close)
		resp, _ = get("/prov/send?disconnect", nil)
		assert.True(t, resp.Close, "SetFlags(HTTP_SEND_RESPONSE_FLAG_DISCONNECT) closes the connection")
	})
	t.Run("CloseConnection", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/prov/close", nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.True(t, err != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF)),
			"the chunked body is cut by a reset: %v", err)
	})
}

// TestStopListeningDrains: a GL_STOP_LISTENING subscriber is told requests drain gracefully.
func TestStopListeningDrains(t *testing.T) {
	srv, log, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Providers", Image: hosttest.Build(t, "testdata/modules/providers.cpp")})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.Shutdown(ctx))
	assert.Contains(t, log.String(), "a module reported the server unhealthy: stopping, draining")
}
