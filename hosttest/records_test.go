package hosttest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The host's standard error carries whatever a module prints: lines that are not records,
// JSON that is not a record, and lines too long to keep. None may stop the records that follow
// being read, or hang the host on a full pipe.
func TestHostLogReadsWhatModulesPrint(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	stream := strings.Join([]string{
		`{"time":"t","level":"INFO","msg":"first","module":"M","n":3,"g":{"k":"v"}}`,
		"a module's printf, \x00 and \xff bytes",
		`{"not":"a record"}`,
		`{"msg": broken json`,
		syncMarker + "7",
		huge,
		`{"level":"INFO","msg":"after the long line"}`,
	}, "\n") + "\n"
	l := newHostLog()
	synced := l.expectSync("7")
	l.read(strings.NewReader(stream))
	<-l.done
	<-synced

	recs := l.snapshot()
	require.Len(t, recs, 1, "the long line ends the reading; the rest is drained")
	assert.Equal(t, Record{Level: "INFO", Msg: "first", Attrs: map[string]any{"module": "M", "n": 3.0, "g": map[string]any{"k": "v"}}}, recs[0])
	text := l.String()
	assert.Contains(t, text, "a module's printf")
	assert.Contains(t, text, `{"not":"a record"}`)
	assert.Contains(t, text, "hosttest: reading the host's log: bufio.Scanner: token too long")
	assert.NotContains(t, text, syncMarker)
}

// failures records what the assertion helpers report, in place of a test's failure.
type failures struct {
	testing.TB
	msgs []string
}

func (f *failures) Helper() {}
func (f *failures) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func TestAssertLoggedMatchesMessageAndAttributes(t *testing.T) {
	recs := []Record{
		{Level: "INFO", Msg: "greeted Ada", Attrs: map[string]any{"module": "Hello", "n": 1000.0, "g": map[string]any{"k": "v"}}},
		{Level: "INFO", Msg: "other", Attrs: map[string]any{"module": "Hello"}},
	}
	f := &failures{TB: t}
	assert.True(t, AssertLogged(f, recs, "greeted Ada"))
	assert.True(t, AssertLogged(f, recs, "greeted Ada", "module", "Hello", "n", 1000, "g.k", "v"))
	assert.Empty(t, f.msgs)

	assert.False(t, AssertLogged(f, recs, "greeted Ada", "module", "Other"))
	assert.False(t, AssertLogged(f, recs, "greeted Ada", "g.k.deeper", "v"))
	assert.False(t, AssertLogged(f, recs, "greeted Bob"))
	require.Len(t, f.msgs, 3)
	assert.Contains(t, f.msgs[0], `level=INFO msg="greeted Ada" g=map[k:v] module=Hello n=1000`, "the near misses are listed")
	assert.Contains(t, f.msgs[2], `no record "greeted Bob" among 2 records`)
}
