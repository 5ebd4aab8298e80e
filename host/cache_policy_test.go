package host_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/iishost/iishost/hosttest"
)

const freshPolicy = "vary=;qs=;value=(null);user=1;cached=0;force=0;invalidator=0;kernel=0/0;userpolicy=0/0"

// TestCachePolicy: what modules record in IHttpCachePolicy2 reads back, within a request and
// in later notifications; each request starts from a fresh policy; vary-by headers become a
// Vary header unless a module set its own.
func TestCachePolicy(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "CachePolicy", Image: hosttest.Build(t, "testdata/modules/cachepolicy.cpp")})
	tests := []struct {
		name, query, state, vary, nullVary string
	}{
		{"defaults", "", freshPolicy, "", ""},
		{"vary by headers", "vary=Accept-Language~X-Device",
			"vary=Accept-Language,X-Device;qs=;value=(null);user=1;cached=0;force=0;invalidator=0;kernel=0/0;userpolicy=0/0",
			"Accept-Language,X-Device", ""},
		{"null header is ignored", "vary=Accept&nullvary=1",
			"vary=Accept;qs=;value=(null);user=1;cached=0;force=0;invalidator=0;kernel=0/0;userpolicy=0/0", "Accept", "0x00000000"},
		{"module's own Vary wins", "vary=Accept&own=Origin",
			"vary=Accept;qs=;value=(null);user=1;cached=0;force=0;invalidator=0;kernel=0/0;userpolicy=0/0", "Origin", ""},
		{"query strings and value", "qs=page~lang&value=mobile",
			"vary=;qs=page,lang;value=mobile;user=1;cached=0;force=0;invalidator=0;kernel=0/0;userpolicy=0/0", "", ""},
		{"flags", "disable=1&cached=1&force=1&invalidator=1",
			"vary=;qs=;value=(null);user=0;cached=1;force=1;invalidator=1;kernel=0/0;userpolicy=0/0", "", ""},
		{"policies through the pointers", "ttl=60",
			"vary=;qs=;value=(null);user=1;cached=0;force=0;invalidator=0;kernel=2/60;userpolicy=1/0", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, body := getOK(t, srv.URL+"/page?"+tt.query)
			assert.Equal(t, tt.state, body)
			assert.Equal(t, tt.state, h.Get("X-End"), "read back in RQ_END_REQUEST")
			assert.Equal(t, freshPolicy, h.Get("X-Initial"), "every request starts fresh")
			assert.Equal(t, tt.vary, h.Get("Vary"))
			assert.Equal(t, tt.nullVary, h.Get("X-Null-Vary"))
		})
	}
}
