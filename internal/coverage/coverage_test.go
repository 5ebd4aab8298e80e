package coverage

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/apispec"
	"github.com/iishost/iishost/internal/cabi"
)

// TestTableCurrent keeps docs/coverage.md equal to what the compiled host implements.
func TestTableCurrent(t *testing.T) {
	want, have, counts, err := Generate("../..")
	require.NoError(t, err)
	if want != have {
		wantLines, gotLines := strings.Split(want, "\n"), strings.Split(have, "\n")
		for i := range min(len(wantLines), len(gotLines)) {
			if wantLines[i] != gotLines[i] {
				t.Fatalf("%s is stale (run go run ./internal/coverage/cmd); line %d:\n want %s\n have %s", Document, i+1, wantLines[i], gotLines[i])
			}
		}
		t.Fatalf("%s is stale (run go run ./internal/coverage/cmd): %d lines, want %d", Document, len(gotLines), len(wantLines))
	}
	require.Greater(t, counts.Implemented, 50)
	require.Positive(t, counts.NoOp)
}

// TestDetector checks the vtable comparison itself on slots whose state is known, so the table
// cannot silently read all one way.
func TestDetector(t *testing.T) {
	api, err := apispec.Load("../../api")
	require.NoError(t, err)
	require.Equal(t, "IHttpContext4", hostClassFor(api, "IHttpContext"))
	require.Equal(t, "IHttpRequest4", hostClassFor(api, "IHttpRequest2"))
	require.Equal(t, "", hostClassFor(api, "IHttpTokenEntry"))
	slot := func(iface, method string) int {
		for _, m := range api.ByName[iface].Methods {
			if m.Name == method {
				return m.SlotIn(cabi.MSVCLayout)
			}
		}
		t.Fatalf("%s::%s not in the table", iface, method)
		return -1
	}
	require.Equal(t, 1, cabi.Coverage("IHttpRequest4", slot("IHttpRequest4", "GetRemainingEntityBytes")))
	require.Equal(t, 0, cabi.Coverage("IHttpRequest4", slot("IHttpRequest4", "NegotiateClientCertificate")))
	require.Equal(t, -1, cabi.Coverage("IHttpTokenEntry", 0))
}

// TestReasons holds api/unimplemented.tsv to the code: every method the host leaves at
// E_NOTIMPL has a reason, and no reason names a method that is implemented (stale) or does not
// exist.
func TestReasons(t *testing.T) {
	api, err := apispec.Load("../../api")
	require.NoError(t, err)
	reasons, rows, err := LoadReasons("../../api/unimplemented.tsv")
	require.NoError(t, err)

	var missing []string
	for _, it := range api.Interfaces {
		for _, m := range it.Own() {
			if StatusOf(api, it.Name, m) == NotImplemented && reasons.For(it.Name, Signature(m)) == "" {
				missing = append(missing, it.Name+"\t"+Signature(m))
			}
		}
	}
	assert.Empty(t, missing, "E_NOTIMPL methods without a reason in api/unimplemented.tsv")
	checkRows(t, api, rows, NotImplemented, "is implemented; drop its reason")
}

// TestNoOps holds api/noop.tsv to the code: a method listed as a no-op is implemented (its
// vtable entry is not the E_NOTIMPL stub) and exists; "*" is not allowed, each is argued alone.
func TestNoOps(t *testing.T) {
	api, err := apispec.Load("../../api")
	require.NoError(t, err)
	_, rows, err := LoadReasons("../../" + NoOpsTo)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	for _, r := range rows {
		assert.NotEqual(t, "*", r.Signature, "line %d: name each no-op", r.Line)
	}
	checkRows(t, api, rows, Implemented, "answers E_NOTIMPL: it is not implemented, not a no-op")
}

// checkRows asserts every row names a method its interface declares, in the state want.
func checkRows(t *testing.T, api *apispec.API, rows []Row, want Status, otherwise string) {
	t.Helper()
	for _, r := range rows {
		it := api.ByName[r.Interface]
		if !assert.NotNil(t, it, "line %d: no interface %s", r.Line, r.Interface) {
			continue
		}
		found, inState := false, false
		for _, m := range it.Own() {
			if r.Signature == "*" || Signature(m) == r.Signature {
				found = true
				inState = inState || StatusOf(api, it.Name, m) == want
			}
		}
		assert.True(t, found, "line %d: %s declares no %s", r.Line, r.Interface, r.Signature)
		assert.True(t, !found || inState, "line %d: %s %s %s", r.Line, r.Interface, r.Signature, otherwise)
	}
}

// TestLoadReasonsErrors checks that a malformed file is refused with its line.
func TestLoadReasonsErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"header", "iface\tmethod\n", "x.tsv:1: header must be \"interface\\tmethod\\treason\""},
		{"columns", "interface\tmethod\treason\nIFoo\tBar()\n", "x.tsv:2: want three non-empty tab-separated columns"},
		{"empty reason", "interface\tmethod\treason\nIFoo\tBar()\t \n", "x.tsv:2: want three non-empty tab-separated columns"},
		{"duplicate", "interface\tmethod\treason\nIFoo\tBar()\ta\nIFoo\tBar()\tb\n", "x.tsv:3: IFoo Bar() listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/x.tsv"
			require.NoError(t, os.WriteFile(path, []byte(tt.text), 0o644))
			_, _, err := LoadReasons(path)
			require.Error(t, err)
			assert.Equal(t, strings.Replace(tt.want, "x.tsv", path, 1), err.Error())
		})
	}
}
