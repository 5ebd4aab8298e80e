package coverage

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/cabi"
	"github.com/iishost/iishost/internal/apispec"
)

// TestReadmeTableCurrent keeps the README's table equal to what the compiled host implements.
func TestReadmeTableCurrent(t *testing.T) {
	api, err := apispec.Load("../../api")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	table, counts := Markdown(api)
	want, err := Splice(string(readme), table)
	require.NoError(t, err)
	if want != string(readme) {
		wantLines, gotLines := strings.Split(want, "\n"), strings.Split(string(readme), "\n")
		for i := range min(len(wantLines), len(gotLines)) {
			if wantLines[i] != gotLines[i] {
				t.Fatalf("README coverage table is stale (run go run ./internal/coverage/cmd); line %d:\n want %s\n have %s", i+1, wantLines[i], gotLines[i])
			}
		}
		t.Fatalf("README coverage table is stale (run go run ./internal/coverage/cmd): %d lines, want %d", len(gotLines), len(wantLines))
	}
	require.Greater(t, counts.Implemented, 50)
}

// TestDetector checks the vtable comparison itself on slots whose state is known, so the table
// cannot silently read all one way.
func TestDetector(t *testing.T) {
	api, err := apispec.Load("../../api")
	require.NoError(t, err)
	require.Equal(t, "IHttpContext4", hostClassFor(api, "IHttpContext"))
	require.Equal(t, "IHttpRequest4", hostClassFor(api, "IHttpRequest2"))
	require.Equal(t, "", hostClassFor(api, "IHttpCacheKey"))
	slot := func(iface, method string) int {
		for _, m := range api.ByName[iface].Methods {
			if m.Name == method {
				return m.Itanium[0]
			}
		}
		t.Fatalf("%s::%s not in the table", iface, method)
		return -1
	}
	require.Equal(t, 1, cabi.Coverage("IHttpRequest4", slot("IHttpRequest4", "GetRemainingEntityBytes")))
	require.Equal(t, 0, cabi.Coverage("IHttpRequest4", slot("IHttpRequest4", "GetClientCertificate")))
	require.Equal(t, -1, cabi.Coverage("IHttpCacheKey", 0))
}
