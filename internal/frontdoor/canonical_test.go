package frontdoor

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCanonicalPath(t *testing.T) {
	l := Limits{}.WithDefaults()
	tests := []struct {
		in, want string
		status   int // 0: accepted
	}{
		{"", "/", 0},
		{"/", "/", 0},
		{"/a/b.txt", "/a/b.txt", 0},
		{"/a/", "/a/", 0},
		{"/a//b", "/a/b", 0},
		{"/a/./b", "/a/b", 0},
		{"/a/b/..", "/a/", 0},
		{"/a/b/../c", "/a/c", 0},
		{"/a/.", "/a/", 0},
		{`/x/..\..\..\etc\passwd`, "", http.StatusBadRequest},
		{`/x\y\..\z`, "/x/z", 0},
		{`\a\b`, "/a/b", 0},
		{"/..", "", http.StatusBadRequest},
		{"/a/../..", "", http.StatusBadRequest},
		{"/a/../../b", "", http.StatusBadRequest},
		{"/a\x00b", "", http.StatusBadRequest},
		{"/a\x1fb", "", http.StatusBadRequest},
		{"/a\x7fb", "", http.StatusBadRequest},
		{"/a\u0085b", "", http.StatusBadRequest},
		{"/caf\u00e9", "/caf\u00e9", 0},
		{"/" + strings.Repeat("s", 260), "/" + strings.Repeat("s", 260), 0},
		{"/" + strings.Repeat("s", 261), "", http.StatusBadRequest},
		{strings.Repeat("/s", 255), strings.Repeat("/s", 255), 0},
		{strings.Repeat("/s", 256), "", http.StatusBadRequest},
		{strings.Repeat("/s", 256) + strings.Repeat("/..", 2), strings.Repeat("/s", 254) + "/", 0},
	}
	for _, tc := range tests {
		got, refusal := CanonicalPath(tc.in, &l)
		if tc.status != 0 {
			if assert.NotNil(t, refusal, "%q", tc.in) {
				assert.Equal(t, tc.status, refusal.Status, "%q", tc.in)
			}
			continue
		}
		assert.Nil(t, refusal, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
}

// FuzzCanonicalPath holds the rule's promises for any input: the result starts with '/', has
// no '\', no dot segment and no empty segment, and canonicalising it again changes nothing.
func FuzzCanonicalPath(f *testing.F) {
	for _, s := range []string{"/", "/a/../b", `..\..\x`, "/./.", "//a//b//", "/a/b/../../..", "/\x00", "/%2e%2e"} {
		f.Add(s)
	}
	l := Limits{}.WithDefaults()
	f.Fuzz(func(t *testing.T, in string) {
		out, refusal := CanonicalPath(in, &l)
		if refusal != nil {
			return
		}
		if !strings.HasPrefix(out, "/") || strings.Contains(out, `\`) || strings.Contains(out, "//") {
			t.Fatalf("%q -> %q", in, out)
		}
		for _, seg := range strings.Split(out, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("%q -> %q keeps a dot segment", in, out)
			}
		}
		again, refusal := CanonicalPath(out, &l)
		if refusal != nil || again != out {
			t.Fatalf("%q -> %q -> %q (%v)", in, out, again, refusal)
		}
	})
}
