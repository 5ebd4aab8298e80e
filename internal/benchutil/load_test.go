package benchutil

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadCountsEveryRequest(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Write([]byte("Hello, world!"))
	}))
	defer srv.Close()
	m, err := Load([]int{os.Getpid()}, srv.URL+"/hello?x=1", 500, 4)
	require.NoError(t, err)
	require.Equal(t, 500, m.Requests)
	require.EqualValues(t, 500, served.Load(), "exactly n requests reach the server")
	require.Positive(t, m.Elapsed)
}

func TestLoadFailsOnResponsesItCannotCount(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		handler    http.HandlerFunc
	}{
		{"status other than 200", `status line "HTTP/1.1 404 Not Found"`, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }},
		{"chunked body", "response without Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("part"))
			w.(http.Flusher).Flush()
			w.Write([]byte("more"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			_, err := Load([]int{os.Getpid()}, srv.URL+"/", 20, 2)
			require.ErrorContains(t, err, srv.URL+"/: "+tc.want)
		})
	}
}
