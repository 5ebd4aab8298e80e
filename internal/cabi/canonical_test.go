package cabi

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/iishost/iishost/internal/frontdoor"
)

// wideOpen are limits no test path reaches, so that only the canonical rule decides.
var wideOpen = frontdoor.Limits{MaxSegmentLength: 1 << 20, MaxSegments: 1 << 20}.WithDefaults()

func TestCanonicalURLPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/a/b", "/a/b"},
		{"/a/b/", "/a/b/"},
		{"/a//b", "/a/b"},
		{"/a/./b", "/a/b"},
		{"/a/b/..", "/a/"},
		{"/a/b/../c", "/a/c"},
		{`\a\b`, "/a/b"},
		{`/a\..\b`, "/b"},
		{"/a/.", "/a/"},
		{"/caf\u00e9", "/caf\u00e9"},
		{"/..a/b..", "/..a/b.."},
		{"a/b", "/a/b"},
	} {
		got, ok := canonicalURLPath(tt.in)
		assert.True(t, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
	for _, refused := range []string{"/..", "/a\u0085b", "/a/../..", `\..\etc`, "/a\x00b", "/a\x1fb", "/a\x7fb", "/../a"} {
		_, ok := canonicalURLPath(refused)
		assert.False(t, ok, "%q", refused)
	}
}

// FuzzCanonicalAgrees holds the C++ canonicaliser (module-given URLs) to the front door's
// (client URLs): a path one of them accepts, the other turns into the same canonical form.
func FuzzCanonicalAgrees(f *testing.F) {
	for _, seed := range []string{"/", "/a/../b", `\x\..\..\y`, "/./.././", "/a//b/./c/", "/a\x01", "..", "/%2e%2e/"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		goPath, refusal := frontdoor.CanonicalPath(p, &wideOpen)
		cPath, ok := canonicalURLPath(p)
		if refusal != nil {
			if ok {
				t.Fatalf("%q: the front door refuses it (%v), the bridge makes %q", p, refusal, cPath)
			}
			return
		}
		if !ok {
			t.Fatalf("%q: the front door makes %q, the bridge refuses it", p, goPath)
		}
		if goPath != cPath {
			t.Fatalf("%q: front door %q, bridge %q", p, goPath, cPath)
		}
	})
}
