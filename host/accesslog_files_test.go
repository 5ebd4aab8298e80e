package host

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestLogWindowAt(t *testing.T) {
	utc := time.UTC
	plus5 := time.FixedZone("UTC+5", 5*3600)
	for _, tt := range []struct {
		at         time.Time
		period     LogPeriod
		loc        *time.Location
		name       string
		start, end time.Time
	}{
		{time.Date(2026, 3, 1, 10, 0, 0, 0, utc), LogDaily, utc, "u_ex260301.log",
			time.Date(2026, 3, 1, 0, 0, 0, 0, utc), time.Date(2026, 3, 2, 0, 0, 0, 0, utc)},
		// 21:00 UTC is 02:00 the next day at UTC+5: a local rollover names the local day.
		{time.Date(2026, 3, 1, 21, 0, 0, 0, utc), LogDaily, plus5, "u_ex260302.log",
			time.Date(2026, 3, 2, 0, 0, 0, 0, plus5), time.Date(2026, 3, 3, 0, 0, 0, 0, plus5)},
		{time.Date(2026, 12, 31, 23, 30, 0, 0, utc), LogHourly, utc, "u_ex26123123.log",
			time.Date(2026, 12, 31, 23, 0, 0, 0, utc), time.Date(2027, 1, 1, 0, 0, 0, 0, utc)},
		{time.Date(2026, 12, 15, 0, 0, 0, 0, utc), LogMonthly, utc, "u_ex2612.log",
			time.Date(2026, 12, 1, 0, 0, 0, 0, utc), time.Date(2027, 1, 1, 0, 0, 0, 0, utc)},
		// April 2026 starts on a Wednesday: week 1 is the 1st to Saturday the 4th.
		{time.Date(2026, 4, 2, 0, 0, 0, 0, utc), LogWeekly, utc, "u_ex260401.log",
			time.Date(2026, 4, 1, 0, 0, 0, 0, utc), time.Date(2026, 4, 5, 0, 0, 0, 0, utc)},
		{time.Date(2026, 4, 5, 0, 0, 0, 0, utc), LogWeekly, utc, "u_ex260402.log",
			time.Date(2026, 4, 5, 0, 0, 0, 0, utc), time.Date(2026, 4, 12, 0, 0, 0, 0, utc)},
		// The last week ends with the month: Sunday the 26th to Thursday the 30th.
		{time.Date(2026, 4, 30, 12, 0, 0, 0, utc), LogWeekly, utc, "u_ex260405.log",
			time.Date(2026, 4, 26, 0, 0, 0, 0, utc), time.Date(2026, 5, 1, 0, 0, 0, 0, utc)},
	} {
		w := logWindowAt(tt.at, tt.period, tt.loc)
		assert.Equal(t, tt.name, w.name, "%v", tt.at)
		assert.True(t, tt.start.Equal(w.start), "%v: start %v, want %v", tt.at, w.start, tt.start)
		assert.True(t, tt.end.Equal(w.end), "%v: end %v, want %v", tt.at, w.end, tt.end)
	}
}

func TestAppendW3C(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "-",
		"plain":                 "plain",
		"a b\tc\r\nd":           "a+b+c++d",
		"caf\u00e9 \u2713":      "caf\u00e9+\u2713",
		"bad\xff\xfeutf8":       "bad++utf8",
		"sep\u2028\u2029\u0085": "sep+++",
		"del\x7f":               "del+",
	} {
		assert.Equal(t, want, string(appendW3C(nil, in)), "%q", in)
	}
}
