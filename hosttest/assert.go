package hosttest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Response is a response read whole, for the assertion helpers.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// ReadResponse reads and closes resp's body, failing the test if it cannot.
func ReadResponse(t testing.TB, resp *http.Response) *Response {
	t.Helper()
	r, err := readResponse(resp)
	if err != nil {
		t.Fatalf("reading the response to %s: %v", resp.Request.URL.RequestURI(), err)
	}
	return r
}

func readResponse(resp *http.Response) (*Response, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}, nil
}

// AssertStatus checks the status code; the failure shows the body, which usually says why.
func AssertStatus(t testing.TB, r *Response, want int) bool {
	t.Helper()
	return assert.Equal(t, want, r.Status, "status code; body %q", r.Body)
}

// AssertHeader checks a response header's (first) value.
func AssertHeader(t testing.TB, r *Response, name, want string) bool {
	t.Helper()
	return assert.Equal(t, want, r.Header.Get(name), "response header %s", name)
}

// AssertBody checks the whole body.
func AssertBody(t testing.TB, r *Response, want string) bool {
	t.Helper()
	return assert.Equal(t, want, r.Body, "response body")
}

// AssertBodyContains checks that the body holds sub.
func AssertBodyContains(t testing.TB, r *Response, sub string) bool {
	t.Helper()
	return assert.Contains(t, r.Body, sub, "response body")
}

// AssertLogged checks that some record has the message msg and the attributes given as
// key-value pairs, as for slog ("module", "Hello", "event_id", 1000). A key "group.name" is
// an attribute in a group. Values compare as fmt.Sprint writes them, so 1000 matches the
// float64 JSON decodes it to.
func AssertLogged(t testing.TB, records []Record, msg string, keyValues ...any) bool {
	t.Helper()
	if len(keyValues)%2 != 0 {
		t.Fatalf("AssertLogged: attributes must come in key-value pairs, got %d values", len(keyValues))
	}
	var sameMsg []string
	for _, rec := range records {
		if rec.Msg != msg {
			continue
		}
		if rec.matches(keyValues) {
			return true
		}
		sameMsg = append(sameMsg, rec.String())
	}
	if len(sameMsg) > 0 {
		return assert.Fail(t, fmt.Sprintf("no record %q with %v; these have the message:\n%s", msg, keyValues, strings.Join(sameMsg, "\n")))
	}
	return assert.Fail(t, fmt.Sprintf("no record %q among %d records", msg, len(records)))
}

// matches tells whether every key-value pair is among the record's attributes.
func (r Record) matches(keyValues []any) bool {
	for i := 0; i < len(keyValues); i += 2 {
		got, ok := r.attr(fmt.Sprint(keyValues[i]))
		if !ok || fmt.Sprint(got) != fmt.Sprint(keyValues[i+1]) {
			return false
		}
	}
	return true
}

// attr finds a possibly grouped attribute ("group.name").
func (r Record) attr(key string) (any, bool) {
	var at any = r.Attrs
	for _, part := range strings.Split(key, ".") {
		group, ok := at.(map[string]any)
		if !ok {
			return nil, false
		}
		if at, ok = group[part]; !ok {
			return nil, false
		}
	}
	return at, true
}
