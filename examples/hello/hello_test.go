// Package hello_test is a module author's test, as it stands in a Go module of its own: the
// module's sources in module/ (out of the Go package, so cgo does not see them), built and
// served by hosttest in a host process, checked over real HTTP.
package hello_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/iishost/iishost/hosttest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	hosttest.Cleanup() // the built modules
	os.Exit(code)
}

func TestHello(t *testing.T) {
	so := hosttest.Build(t, "module") // every .cpp in the folder, once per test process
	p := hosttest.Run(t, hosttest.Module{Name: "Hello", Image: so})

	resp := p.Get("/hello?name=Ada")
	hosttest.AssertStatus(t, resp, http.StatusOK)
	hosttest.AssertHeader(t, resp, "Content-Type", "text/plain; charset=utf-8")
	hosttest.AssertHeader(t, resp, "X-Greeted", "Ada")
	hosttest.AssertBody(t, resp, "Hello, Ada!")
	hosttest.AssertLogged(t, p.Records(), "greeted Ada", "module", "Hello", "source", "OutputDebugString")

	for _, bad := range []string{"/hello", "/hello?name=", "/hello?name=Ada1", "/hello?name=%00Ada", "/hello?name=" + strings.Repeat("a", 33)} {
		hosttest.AssertStatus(t, p.Get(bad), http.StatusBadRequest)
	}
	hosttest.AssertStatus(t, p.Get("/elsewhere"), http.StatusNotFound) // not the module's: no such file
}
