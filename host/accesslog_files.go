package host

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// logWindow is the time one log file covers, [start, end), and the file's name.
type logWindow struct {
	start, end time.Time
	name       string
}

// logWindowAt is the window of period holding t, its boundaries in loc, named as IIS names
// UTF-8 W3C files: u_exYYMMDD.log daily, u_exYYMMDDHH.log hourly, u_exYYMM.log monthly and
// u_exYYMMWW.log weekly, WW the week of the month (weeks start on Sunday, the first on the 1st).
func logWindowAt(t time.Time, period LogPeriod, loc *time.Location) logWindow {
	t = t.In(loc)
	y, m, d := t.Date()
	yy := y % 100
	switch period {
	case LogHourly:
		start := time.Date(y, m, d, t.Hour(), 0, 0, 0, loc)
		return logWindow{start, start.Add(time.Hour), fmt.Sprintf("u_ex%02d%02d%02d%02d.log", yy, m, d, t.Hour())}
	case LogMonthly:
		return logWindow{time.Date(y, m, 1, 0, 0, 0, 0, loc), time.Date(y, m+1, 1, 0, 0, 0, 0, loc), fmt.Sprintf("u_ex%02d%02d.log", yy, m)}
	case LogWeekly:
		first := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		sunday := time.Date(y, m, d-int(t.Weekday()), 0, 0, 0, 0, loc)
		start, end := sunday, sunday.AddDate(0, 0, 7)
		if start.Before(first) {
			start = first
		}
		if next := first.AddDate(0, 1, 0); end.After(next) {
			end = next
		}
		week := (d-1+int(first.Weekday()))/7 + 1
		return logWindow{start, end, fmt.Sprintf("u_ex%02d%02d%02d.log", yy, m, week)}
	}
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	return logWindow{start, start.AddDate(0, 0, 1), fmt.Sprintf("u_ex%02d%02d%02d.log", yy, m, d)}
}

// MaxSize logs are u_extend1.log, u_extend2.log, ...
const maxSizePrefix, maxSizeSuffix = "u_extend", ".log"

func maxSizeName(n int) string { return maxSizePrefix + strconv.Itoa(n) + maxSizeSuffix }

// lastMaxSizeFile is the highest-numbered MaxSize log in dir and its size; 1 and 0 when none.
func lastMaxSizeFile(dir string) (n int, size int64) {
	n = 1
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		num, ok := strings.CutPrefix(e.Name(), maxSizePrefix)
		if num, ok = strings.CutSuffix(num, maxSizeSuffix); !ok {
			continue
		}
		if k, err := strconv.Atoi(num); err == nil && k >= n {
			n = k
		}
	}
	if info, err := os.Stat(filepath.Join(dir, maxSizeName(n))); err == nil {
		size = info.Size()
	}
	return n, size
}
