package host

import (
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

// LogFile is a site's W3C extended access log: the site's <logFile> over <sites><siteDefaults>
// <logFile>, attribute by attribute, with IIS's attribute names and defaults. Unlike IIS, a
// configuration with neither element writes no log.
type LogFile struct {
	Enabled bool
	// Directory holds a W3SVC<site id> folder per site, %VAR% references expanded and '\' read
	// as '/'; LoadConfig makes a relative one absolute against the configuration's directory.
	Directory string
	Fields    LogFields
	Period    LogPeriod
	// TruncateSize is the size at which a MaxSize log moves to its next file; at least 1 MiB.
	TruncateSize int64
	// LocalTimeRollover starts new files at local midnight (or hour, week, month) rather than
	// UTC's; entries are stamped in UTC either way.
	LocalTimeRollover bool
}

// LogFields are logExtFileFlags: the fields of each entry, in IIS's column order.
type LogFields uint32

// The logExtFileFlags values, in the order IIS writes their columns.
const (
	LogDate LogFields = 1 << iota
	LogTime
	LogSiteName
	LogComputerName
	LogServerIP
	LogMethod
	LogURIStem
	LogURIQuery
	LogServerPort
	LogUserName
	LogClientIP
	LogProtocolVersion
	LogUserAgent
	LogCookie
	LogReferer
	LogHost
	LogHTTPStatus
	LogHTTPSubStatus
	LogWin32Status
	LogBytesSent
	LogBytesRecv
	LogTimeTaken
)

// logFieldNames are each flag's logExtFileFlags name and W3C column, in bit order.
var logFieldNames = []struct{ flag, column string }{
	{"Date", "date"}, {"Time", "time"}, {"SiteName", "s-sitename"}, {"ComputerName", "s-computername"},
	{"ServerIP", "s-ip"}, {"Method", "cs-method"}, {"UriStem", "cs-uri-stem"}, {"UriQuery", "cs-uri-query"},
	{"ServerPort", "s-port"}, {"UserName", "cs-username"}, {"ClientIP", "c-ip"}, {"ProtocolVersion", "cs-version"},
	{"UserAgent", "cs(User-Agent)"}, {"Cookie", "cs(Cookie)"}, {"Referer", "cs(Referer)"}, {"Host", "cs-host"},
	{"HttpStatus", "sc-status"}, {"HttpSubStatus", "sc-substatus"}, {"Win32Status", "sc-win32-status"},
	{"BytesSent", "sc-bytes"}, {"BytesRecv", "cs-bytes"}, {"TimeTaken", "time-taken"},
}

// DefaultLogFields is IIS's default logExtFileFlags.
const DefaultLogFields = LogDate | LogTime | LogClientIP | LogUserName | LogServerIP | LogMethod | LogURIStem |
	LogURIQuery | LogTimeTaken | LogHTTPStatus | LogWin32Status | LogServerPort | LogUserAgent | LogHTTPSubStatus | LogReferer

// LogPeriod is when a new log file starts (period); the values are IIS's.
type LogPeriod int

const (
	LogMaxSize LogPeriod = 0
	LogDaily   LogPeriod = 1
	LogWeekly  LogPeriod = 2
	LogMonthly LogPeriod = 3
	LogHourly  LogPeriod = 4
)

var logPeriodNames = map[string]LogPeriod{"maxsize": LogMaxSize, "daily": LogDaily, "weekly": LogWeekly, "monthly": LogMonthly, "hourly": LogHourly}

// IIS's defaults for what <logFile> leaves out.
const (
	defaultLogDirectory    = `%SystemDrive%\inetpub\logs\LogFiles`
	defaultLogTruncateSize = 20 << 20
	minLogTruncateSize     = 1 << 20
)

// logFileText is a <logFile> element's attributes as written (present ones only).
type logFileText struct {
	attrs map[string]string
	at    configPos
}

var logFileAttributes = []string{"enabled", "directory", "logFormat", "logExtFileFlags", "period", "truncateSize", "localTimeRollover"}

// logFile reads and checks a <logFile> element.
func (p *configParser) logFile(el xml.StartElement, at configPos) (*logFileText, error) {
	t := &logFileText{attrs: map[string]string{}, at: at}
	for _, name := range logFileAttributes {
		if v, ok := configAttrOK(el, name); ok {
			t.attrs[name] = v
		}
	}
	if _, err := t.over(nil).settings(); err != nil {
		return nil, p.errorf(at, "<logFile> %v", err)
	}
	return t, p.skip()
}

// over returns t's attributes over base's (either may be nil); nil when neither is set.
func (t *logFileText) over(base *logFileText) *logFileText {
	switch {
	case t == nil:
		return base
	case base == nil:
		return t
	}
	out := &logFileText{attrs: map[string]string{}, at: t.at}
	for k, v := range base.attrs {
		out.attrs[k] = v
	}
	for k, v := range t.attrs {
		out.attrs[k] = v
	}
	return out
}

// settings reads the attributes, IIS's defaults for those absent; the directory is left as
// written (resolveDirectory reads it).
func (t *logFileText) settings() (LogFile, error) {
	f := LogFile{Enabled: t != nil, Fields: DefaultLogFields, Period: LogDaily, TruncateSize: defaultLogTruncateSize}
	if t == nil {
		return f, nil
	}
	a := t.attrs
	var err error
	if v, ok := a["enabled"]; ok {
		if f.Enabled, err = strconv.ParseBool(v); err != nil {
			return f, fmt.Errorf("enabled %q is not true or false", v)
		}
	}
	if v, ok := a["localTimeRollover"]; ok {
		if f.LocalTimeRollover, err = strconv.ParseBool(v); err != nil {
			return f, fmt.Errorf("localTimeRollover %q is not true or false", v)
		}
	}
	if v, ok := a["logFormat"]; ok && !strings.EqualFold(v, "W3C") {
		return f, fmt.Errorf("logFormat %q: iishost writes W3C logs only", v)
	}
	if v, ok := a["logExtFileFlags"]; ok {
		if f.Fields, err = parseLogFields(v); err != nil {
			return f, err
		}
	}
	if v, ok := a["period"]; ok {
		if f.Period, ok = logPeriodNames[strings.ToLower(v)]; !ok {
			return f, fmt.Errorf("period %q: want MaxSize, Hourly, Daily, Weekly or Monthly", v)
		}
	}
	if v, ok := a["truncateSize"]; ok {
		if f.TruncateSize, err = strconv.ParseInt(v, 10, 64); err != nil || f.TruncateSize < 0 {
			return f, fmt.Errorf("truncateSize %q is not a byte count", v)
		}
	}
	f.TruncateSize = max(f.TruncateSize, minLogTruncateSize) // as IIS: smaller sizes mean the minimum
	f.Directory = defaultLogDirectory
	if v, ok := a["directory"]; ok {
		f.Directory = v
	}
	return f, nil
}

// parseLogFields reads a logExtFileFlags list: names separated by commas, in any letter case.
func parseLogFields(v string) (LogFields, error) {
	var fields LogFields
	for name := range strings.SplitSeq(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := false
		for i, f := range logFieldNames {
			if strings.EqualFold(f.flag, name) {
				fields, found = fields|1<<i, true
			}
		}
		if !found {
			return 0, fmt.Errorf("logExtFileFlags %q: unknown field %q", v, name)
		}
	}
	return fields, nil
}

var unsetVariable = regexp.MustCompile(`%[^%\s]+%`)

// logDirectory reads a log folder as IIS's configuration writes it (<logFile>,
// <traceFailedRequestsLogging>): %VAR% references expanded and '\' read as '/'. %SystemDrive%,
// when the environment does not set it, is "." (the configuration's directory), so that IIS's
// defaults under %SystemDrive%\inetpub\logs land in inetpub/logs beside the file. A directory
// that still names a variable is an error, and so is a drive letter except on Windows.
func logDirectory(raw string, lookup func(string) (string, bool)) (string, error) {
	withDrive := func(name string) (string, bool) {
		v, ok := lookup(name)
		if !ok && strings.EqualFold(name, "SystemDrive") {
			return ".", true
		}
		return v, ok
	}
	dir := strings.ReplaceAll(ExpandEnv(raw, withDrive), `\`, "/")
	switch {
	case unsetVariable.MatchString(dir):
		return "", fmt.Errorf("%s is not set; set it or write a directory", unsetVariable.FindString(dir))
	case len(dir) >= 2 && dir[1] == ':' && runtime.GOOS != "windows":
		return "", errors.New("a Windows drive path; write a directory for this host")
	}
	return dir, nil
}

// siteLogFile is a site's log settings from its own <logFile> over siteDefaults'. The
// directory is read by logDirectory; an unusable one is an error when the log is enabled.
func (p *configParser) siteLogFile(site *Site, own, defaults *logFileText) error {
	t := own.over(defaults)
	f, err := t.settings()
	if err != nil || !f.Enabled {
		return err
	}
	dir, err := logDirectory(f.Directory, p.lookup)
	if err != nil {
		return p.errorf(t.at, "<logFile> directory %q of <site name=%q>: %v", f.Directory, site.Name, err)
	}
	f.Directory = dir
	site.LogFile = f
	return nil
}
