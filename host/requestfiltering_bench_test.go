package host

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkRequestFilterCheck measures the shipped section's check on an ordinary request,
// which every request pays before any module runs.
func BenchmarkRequestFilterCheck(b *testing.B) {
	f, err := compileRequestFilter(nil, "", nil)
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/Content/site/images/Logo.png?v=12", nil)
	b.ReportAllocs()
	for b.Loop() {
		if f.check(r) != nil {
			b.Fatal("refused")
		}
	}
}
