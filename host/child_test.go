package host_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func childServer(t *testing.T) *hosttest.Server {
	return hosttest.Serve(t, hosttest.Module{Name: "Child", Image: hosttest.Build(t, "testdata/modules/child.cpp")})
}

type childReply struct {
	status int
	header http.Header
	body   string
}

func childDo(t *testing.T, srv *hosttest.Server, method, url, body string) childReply {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("X-Test", "abc")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return childReply{resp.StatusCode, resp.Header, string(b)}
}

// TestChildExecuteFlags: the child's output lands in the parent's response; its status and
// headers too unless EXECUTE_FLAG_NO_HEADERS, and it is flushed at once (so the parent can no
// longer change the status) unless EXECUTE_FLAG_BUFFER_RESPONSE. Sync and async alike.
func TestChildExecuteFlags(t *testing.T) {
	srv := childServer(t)
	leaf := "leaf:GET /leaf hdr=abc body= var= auth=1 user= parent=1 root-is-parent=1 flags="
	cases := []struct {
		exec             string
		status           int
		parentHdr, leafH string
	}{
		{"0", 201, "", "1"},
		{"1", 200, "1", ""},  // NO_HEADERS: the parent's status and headers stay
		{"20", 299, "", "1"}, // BUFFER_RESPONSE: not flushed, the parent's later status wins
		{"21", 299, "1", ""}, // both
	}
	for _, c := range cases {
		for _, async := range []string{"0", "1"} {
			for _, target := range []string{"/leaf", "/leafasync"} {
				t.Run("exec="+c.exec+" async="+async+" "+target, func(t *testing.T) {
					r := childDo(t, srv, http.MethodGet, "/parent?clone=3&target="+target+"&exec="+c.exec+"&async="+async, "")
					assert.Equal(t, c.status, r.status)
					assert.Equal(t, c.parentHdr, r.header.Get("X-Parent"))
					assert.Equal(t, c.leafH, r.header.Get("X-Leaf"))
					want := "P[" + strings.Replace(leaf, "/leaf", target, 1) + "0x" + strings.ToUpper(c.exec) + "]|child-status=201"
					assert.Equal(t, want, r.body)
				})
			}
		}
	}
}

// TestChildCloneFlags: CLONE_FLAG_BASICS copies method and URL, HEADERS the headers, ENTITY
// the unread body and SERVER_VARIABLE the variables set on the parent; a user given to
// ExecuteRequest skips the child's authentication.
func TestChildCloneFlags(t *testing.T) {
	srv := childServer(t)
	cases := []struct {
		name, method, query, body, want string
	}{
		{"basics", http.MethodPost, "clone=1", "", "leaf:POST /leaf hdr= body= var= auth=1 user="},
		{"no basics", http.MethodPost, "clone=0", "", "leaf:GET /leaf hdr= body= var= auth=1 user="},
		{"headers", http.MethodGet, "clone=3", "", "leaf:GET /leaf hdr=abc body= var= auth=1 user="},
		{"entity", http.MethodPost, "clone=5", "hello", "leaf:POST /leaf hdr= body=hello var= auth=1 user="},
		{"no entity", http.MethodPost, "clone=1", "hello", "leaf:POST /leaf hdr= body= var= auth=1 user="},
		{"server variable", http.MethodGet, "clone=41&var=1", "", "leaf:GET /leaf hdr= body= var=v1 auth=1 user="},
		{"no server variable", http.MethodGet, "clone=1&var=1", "", "leaf:GET /leaf hdr= body= var= auth=1 user="},
		{"inherited server variable", http.MethodGet, "clone=1&var=1&inherit=X_VAR", "", "leaf:GET /leaf hdr= body= var=v1 auth=1 user="},
		{"user", http.MethodGet, "clone=1&user=1", "", "leaf:GET /leaf hdr= body= var= auth=0 user=child-user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := childDo(t, srv, c.method, "/parent?target=/leaf&exec=21&async=1&"+c.query, c.body)
			assert.Equal(t, "P["+c.want+" parent=1 root-is-parent=1 flags=0x21]|child-status=201", r.body)
		})
	}
}

// TestChildNested: children execute children, each seeing its parents; past the documented
// limit of ten levels ExecuteRequest fails with ERROR_STACK_OVERFLOW.
func TestChildNested(t *testing.T) {
	srv := childServer(t)
	r := childDo(t, srv, http.MethodGet, "/nest?level=3", "")
	assert.Equal(t, "N3[N2[N1[depth=3]]]", r.body)
	r = childDo(t, srv, http.MethodGet, "/nest?level=11", "")
	assert.Equal(t, "N11[N10[N9[N8[N7[N6[N5[N4[N3[N2[N1[err=0x800703E9]]]]]]]]]]]", r.body)
}

// TestChildErrors: only a clone of this request runs, and only once; a root context is not
// released as a clone.
func TestChildErrors(t *testing.T) {
	srv := childServer(t)
	r := childDo(t, srv, http.MethodGet, "/parent?clone=1&exec=21&async=1&target=/leaf&inherit=NO_SUCH_VARIABLE", "")
	assert.Equal(t, "0x80070585", r.header.Get("X-Inherit"), "InheritServerVariable of a missing variable, failing")
	r = childDo(t, srv, http.MethodGet, "/childerr", "")
	assert.Equal(t, "self=0x80070032 twice=0x80070032 release-root=0x80070032", r.body)
}

// TestChildHammer: many concurrent parents, each with an asynchronous child completed from a
// module thread, each get their own child's answer.
func TestChildHammer(t *testing.T) {
	const n = 200
	srv := childServer(t)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			url := fmt.Sprintf("%s/parent?clone=1&exec=21&async=%d&target=/leafasync?i=%d", srv.URL, i%2, i)
			resp, err := http.Get(url)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			want := fmt.Sprintf("P[leaf:GET /leafasync?i=%d hdr= body= var= auth=1 user= parent=1 root-is-parent=1 flags=0x21]|child-status=201", i)
			if resp.StatusCode != 299 || string(got) != want {
				errs <- fmt.Errorf("request %d: %d %q", i, resp.StatusCode, got)
				return
			}
			errs <- nil
		}()
	}
	for range n {
		assert.NoError(t, <-errs)
	}
}
