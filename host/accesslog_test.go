package host_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

const allLogFields = "Date, Time, ClientIP, UserName, SiteName, ComputerName, ServerIP, Method, UriStem, UriQuery, HttpStatus, " +
	"Win32Status, BytesSent, BytesRecv, TimeTaken, ServerPort, UserAgent, Cookie, Referer, ProtocolVersion, Host, HttpSubStatus"

// fakeClock is a settable clock for the access log.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// accessLogServer serves the response and providers fixtures on site 3 with logFile's
// attributes (the directory is added), stamping entries with clock.
func accessLogServer(t *testing.T, logFile string, clock *fakeClock) (*hosttest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	doc := `<configuration><system.applicationHost><sites>
  <site name="Logged" id="3"><application path="/"><virtualDirectory path="/" physicalPath="."/></application>
    <logFile directory="` + dir + `" ` + logFile + `/></site>
</sites></system.applicationHost></configuration>`
	cfg, err := host.ParseConfig(strings.NewReader(doc), "")
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg},
		hosttest.Module{Name: "Providers", Image: hosttest.Build(t, "testdata/modules/providers.cpp")},
		hosttest.Module{Name: "Response", Image: hosttest.Build(t, "testdata/modules/response.cpp")})
	host.SetAccessLogClock(srv.Host, clock.Now)
	return srv, filepath.Join(dir, "W3SVC3")
}

// stop ends the server, which writes what the access log holds.
func stop(t *testing.T, srv *hosttest.Server) {
	t.Helper()
	srv.Close()
	require.NoError(t, srv.Host.Close())
}

// w3cFile reads a log file as its directives and its entries, each split into named fields.
func w3cFile(t *testing.T, path string) (directives []string, entries []map[string]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(data)
	require.True(t, strings.HasSuffix(text, "\r\n"), "lines end with CRLF")
	var columns []string
	for line := range strings.SplitSeq(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		require.NotContains(t, line, "\n", "a bare LF inside a line")
		if strings.HasPrefix(line, "#") {
			directives = append(directives, line)
			if f, ok := strings.CutPrefix(line, "#Fields: "); ok {
				columns = strings.Split(f, " ")
			}
			continue
		}
		values := strings.Split(line, " ")
		require.Len(t, values, len(columns), "line %q", line)
		entry := map[string]string{}
		for i, c := range columns {
			entry[c] = values[i]
		}
		entries = append(entries, entry)
	}
	return directives, entries
}

func get(t *testing.T, url string, header map[string]string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestAccessLogEntries(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 1, 10, 20, 30, 0, time.UTC)}
	srv, dir := accessLogServer(t, `logExtFileFlags="`+allLogFields+`"`, clock)
	assert.Equal(t, 404, get(t, srv.URL+"/status?code=404&sub=3&hr=80070002&reason=Missing", map[string]string{
		"User-Agent": "Test Agent/1.0 (x y)", "Cookie": "a=1; b=2", "Referer": "http://ref.example/p q"}))
	clock.Set(clock.Now().Add(time.Second))
	assert.Equal(t, 200, get(t, srv.URL+"/prov/user", map[string]string{"X-User": "alice smith"}))
	clock.Set(clock.Now().Add(time.Second))
	assert.Equal(t, 500, get(t, srv.URL+"/status?code=500&sub=19", nil))

	// Written within a second, before shutdown.
	path := filepath.Join(dir, "u_ex260301.log")
	require.Eventually(t, func() bool {
		data, _ := os.ReadFile(path)
		return strings.Count(string(data), "\r\n") == 4+3
	}, 30*time.Second, 20*time.Millisecond)
	stop(t, srv)

	directives, entries := w3cFile(t, path)
	assert.Equal(t, []string{"#Software: iishost", "#Version: 1.0", "#Date: 2026-03-01 10:20:30",
		"#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version " +
			"cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken"}, directives)
	require.Len(t, entries, 3)
	hostname, _ := os.Hostname()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for _, e := range entries {
		assert.Equal(t, "2026-03-01", e["date"])
		assert.Equal(t, "W3SVC3", e["s-sitename"])
		assert.Equal(t, hostname, e["s-computername"])
		assert.Equal(t, "127.0.0.1", e["s-ip"])
		assert.Equal(t, "127.0.0.1", e["c-ip"])
		assert.Equal(t, port, e["s-port"])
		assert.Equal(t, "GET", e["cs-method"])
		assert.Equal(t, "HTTP/1.1", e["cs-version"])
		assert.Equal(t, "127.0.0.1:"+port, e["cs-host"])
		assert.Regexp(t, `^[1-9][0-9]*$`, e["sc-bytes"])
		assert.Regexp(t, `^[1-9][0-9]*$`, e["cs-bytes"])
		assert.Regexp(t, `^[0-9]+$`, e["time-taken"])
	}
	first, user, failed := entries[0], entries[1], entries[2]
	assert.Equal(t, map[string]string{"time": "10:20:30", "cs-uri-stem": "/status", "cs-uri-query": "code=404&sub=3&hr=80070002&reason=Missing",
		"cs-username": "-", "cs(User-Agent)": "Test+Agent/1.0+(x+y)", "cs(Cookie)": "a=1;+b=2", "cs(Referer)": "http://ref.example/p+q",
		"sc-status": "404", "sc-substatus": "3", "sc-win32-status": "2"}, pick(first, "time", "cs-uri-stem", "cs-uri-query", "cs-username",
		"cs(User-Agent)", "cs(Cookie)", "cs(Referer)", "sc-status", "sc-substatus", "sc-win32-status"))
	assert.Equal(t, map[string]string{"time": "10:20:31", "cs-uri-stem": "/prov/user", "cs-uri-query": "-", "cs-username": "alice+smith",
		"cs(Cookie)": "-", "sc-status": "200", "sc-substatus": "0", "sc-win32-status": "0"},
		pick(user, "time", "cs-uri-stem", "cs-uri-query", "cs-username", "cs(Cookie)", "sc-status", "sc-substatus", "sc-win32-status"))
	assert.Equal(t, map[string]string{"time": "10:20:32", "sc-status": "500", "sc-substatus": "19", "sc-win32-status": "0"},
		pick(failed, "time", "sc-status", "sc-substatus", "sc-win32-status"), "E_FAIL is not a Win32 error")
}

func pick(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

// A client's URL and header bytes cannot break an entry's line, add a field or forge a line.
func TestAccessLogHostileInput(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	srv, dir := accessLogServer(t, `logExtFileFlags="UserAgent, Referer, UriStem, UriQuery, HttpStatus"`, clock)
	forged := "2026-03-01 10:00:00 /forged 200"
	for _, raw := range []string{
		// Decoded control characters in the path are refused before any module runs (and
		// not logged, as HTTP.sys's refusals are not); decoded spaces reach the log.
		"GET /a%20b%20" + strings.ReplaceAll(forged, " ", "%20") + " HTTP/1.1\r\nHost: h\r\nUser-Agent: x\r\n\r\n",
		"GET /q?x=1%0D%0A" + strings.ReplaceAll(forged, " ", "+") + " HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\twith tab\r\n\r\n",
		"GET /utf8/%E2%9C%93%FF HTTP/1.1\r\nHost: h\r\nUser-Agent: caf\xc3\xa9 \xff\xfe bad \xe2\x80\xa8 sep \xc2\x85 nel\r\nReferer: #Fields: forged\r\n\r\n",
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		require.NoError(t, err)
		_, err = conn.Write([]byte(raw))
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err, "%q", raw)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%q reached the modules, which leave it to the static files", raw)
		resp.Body.Close()
		conn.Close()
	}
	stop(t, srv)

	data, err := os.ReadFile(filepath.Join(dir, "u_ex260301.log"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
	require.Len(t, lines, 4+3, "%s", data)
	assert.Equal(t, "#Fields: cs-uri-stem cs-uri-query cs(User-Agent) cs(Referer) sc-status", lines[3])
	entries := lines[4:]
	for _, e := range entries {
		assert.Len(t, strings.Split(e, " "), 5, "%q", e)
		assert.False(t, strings.HasPrefix(e, "#"), e)
		assert.NotContains(t, e, "\n")
		assert.NotContains(t, e, "\r")
	}
	assert.Equal(t, `/a+b+2026-03-01+10:00:00+/forged+200 - x - 404`, entries[0])
	assert.Equal(t, `/q x=1%0D%0A2026-03-01+10:00:00+/forged+200 ua+with+tab - 404`, entries[1])
	assert.Equal(t, `/utf8/✓+ - café++++bad+++sep+++nel #Fields:+forged 404`, entries[2])
}

// A client text in the first column cannot start a directive line.
func TestAccessLogNoForgedDirective(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	srv, dir := accessLogServer(t, `logExtFileFlags="UserAgent"`, clock)
	get(t, srv.URL+"/", map[string]string{"User-Agent": "#Fields: date"})
	stop(t, srv)
	_, entries := w3cFile(t, filepath.Join(dir, "u_ex260301.log"))
	assert.Equal(t, []map[string]string{{"cs(User-Agent)": "+Fields:+date"}}, entries)
}

func TestAccessLogRollover(t *testing.T) {
	for _, tt := range []struct {
		period string
		times  []time.Time
		files  []string
	}{
		{"Daily", []time.Time{time.Date(2026, 3, 1, 23, 59, 59, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
			[]string{"u_ex260301.log", "u_ex260302.log"}},
		{"Hourly", []time.Time{time.Date(2026, 3, 1, 9, 59, 59, 0, time.UTC), time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)},
			[]string{"u_ex26030109.log", "u_ex26030110.log"}},
		{"Monthly", []time.Time{time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
			[]string{"u_ex2602.log", "u_ex2603.log"}},
		// 2026-03-01 is a Sunday: week 1 is the 1st to the 7th, week 2 starts on Sunday the 8th.
		{"Weekly", []time.Time{time.Date(2026, 3, 7, 23, 0, 0, 0, time.UTC), time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},
			[]string{"u_ex260301.log", "u_ex260302.log"}},
	} {
		t.Run(tt.period, func(t *testing.T) {
			clock := &fakeClock{now: tt.times[0]}
			srv, dir := accessLogServer(t, `period="`+tt.period+`" logExtFileFlags="Date, Time, UriStem"`, clock)
			get(t, srv.URL+"/first", nil)
			clock.Set(tt.times[1])
			get(t, srv.URL+"/second", nil)
			stop(t, srv)
			for i, name := range tt.files {
				directives, entries := w3cFile(t, filepath.Join(dir, name))
				assert.Equal(t, "#Date: "+tt.times[i].Format("2006-01-02 15:04:05"), directives[2], "the time of the file's first entry")
				require.Len(t, entries, 1, name)
				assert.Equal(t, []string{"/first", "/second"}[i], entries[0]["cs-uri-stem"])
				assert.Equal(t, tt.times[i].Format("15:04:05"), entries[0]["time"])
			}
			names, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, names, 2)
		})
	}
}

// MaxSize moves to the next u_extend file before one would pass truncateSize (1 MiB at least).
func TestAccessLogMaxSize(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	srv, dir := accessLogServer(t, `period="MaxSize" truncateSize="1000" logExtFileFlags="UriStem, Cookie"`, clock)
	cookie := "c=" + strings.Repeat("x", 15000)
	const requests = 80 // 80 entries of 15 KB: more than 1 MiB
	for range requests {
		get(t, srv.URL+"/big", map[string]string{"Cookie": cookie})
	}
	stop(t, srv)
	total := 0
	for _, name := range []string{"u_extend1.log", "u_extend2.log"} {
		info, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.LessOrEqual(t, info.Size(), int64(1<<20), name)
		directives, entries := w3cFile(t, filepath.Join(dir, name))
		assert.Equal(t, "#Fields: cs-uri-stem cs(Cookie)", directives[3], name)
		total += len(entries)
	}
	assert.Equal(t, requests, total)
	assert.NoFileExists(t, filepath.Join(dir, "u_extend3.log"))
}

// A directory that cannot be written is reported, and requests go on.
func TestAccessLogWriteError(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	srv, dir := accessLogServer(t, ``, clock)
	require.NoError(t, os.WriteFile(dir, []byte("a file where the folder goes"), 0o644))
	for range 3 {
		assert.Equal(t, 200, get(t, srv.URL+"/prov/user", nil))
	}
	stop(t, srv)
	assert.Regexp(t, `level=ERROR msg="access log entries lost" site=W3SVC3 directory=`+dir+` lost_entries=3 error=".*not a directory"`, srv.Log.String())
}

func TestAccessLogConfig(t *testing.T) {
	site := func(logFile string) string {
		return `<configuration><system.applicationHost><sites>
<site name="S" id="4"><application path="/"><virtualDirectory path="/" physicalPath="/srv"/></application>` + logFile + `</site>
<siteDefaults><logFile period="Hourly" directory="logs" logExtFileFlags="Date,Time"/></siteDefaults>
</sites></system.applicationHost></configuration>`
	}
	parse := func(logFile string) (*host.Config, error) {
		return host.ParseConfig(strings.NewReader(site(logFile)), "test.config")
	}
	c, err := parse(`<logFile logExtFileFlags="uristem, HTTPSTATUS" localTimeRollover="true" truncateSize="5"/>`)
	require.NoError(t, err)
	assert.Equal(t, host.LogFile{Enabled: true, Directory: "logs", Fields: host.LogURIStem | host.LogHTTPStatus, Period: host.LogHourly,
		TruncateSize: 1 << 20, LocalTimeRollover: true}, c.Sites[0].LogFile, "the site's attributes over siteDefaults'; 1 MiB at least")
	c, err = parse(``)
	require.NoError(t, err)
	assert.Equal(t, host.LogFile{Enabled: true, Directory: "logs", Fields: host.LogDate | host.LogTime, Period: host.LogHourly,
		TruncateSize: 20 << 20}, c.Sites[0].LogFile, "siteDefaults alone")
	c, err = parse(`<logFile enabled="false"/>`)
	require.NoError(t, err)
	assert.False(t, c.Sites[0].LogFile.Enabled)

	c, err = host.ParseConfig(strings.NewReader(`<configuration/>`), "")
	require.NoError(t, err)
	assert.False(t, c.Sites[0].LogFile.Enabled, "no <logFile>, no log")

	t.Setenv("SystemDrive", "")
	os.Unsetenv("SystemDrive")
	c, err = parse(`<logFile directory="%SystemDrive%\inetpub\logs\LogFiles"/>`)
	require.NoError(t, err)
	assert.Equal(t, "./inetpub/logs/LogFiles", c.Sites[0].LogFile.Directory, "unset, SystemDrive is the configuration's folder")
	t.Setenv("SystemDrive", "/var")
	c, err = parse(`<logFile directory="%SystemDrive%\inetpub\logs\LogFiles"/>`)
	require.NoError(t, err)
	assert.Equal(t, "/var/inetpub/logs/LogFiles", c.Sites[0].LogFile.Directory)

	for logFile, want := range map[string]string{
		`<logFile period="Yearly"/>`:                `config test.config: 2:107: <logFile> period "Yearly": want MaxSize, Hourly, Daily, Weekly or Monthly`,
		`<logFile logFormat="NCSA"/>`:               `config test.config: 2:107: <logFile> logFormat "NCSA": iishost writes W3C logs only`,
		`<logFile logExtFileFlags="Date,Weather"/>`: `config test.config: 2:107: <logFile> logExtFileFlags "Date,Weather": unknown field "Weather"`,
		`<logFile enabled="yes please"/>`:           `config test.config: 2:107: <logFile> enabled "yes please" is not true or false`,
		`<logFile truncateSize="-1"/>`:              `config test.config: 2:107: <logFile> truncateSize "-1" is not a byte count`,
		`<logFile directory="%NOPE%\logs"/>`:        `config test.config: 2:107: <logFile> directory "%NOPE%\\logs" of <site name="S">: %NOPE% is not set; set it or write a directory`,
		`<logFile directory="D:\logs"/>`:            `config test.config: 2:107: <logFile> directory "D:\\logs" of <site name="S">: a Windows drive path; write a directory for this host`,
	} {
		_, err := parse(logFile)
		require.Error(t, err, logFile)
		assert.Equal(t, want, err.Error(), logFile)
	}
}

// check warns about an access log directory that cannot be made, and passes one still to be
// created under a writable folder.
func TestCheckAccessLogDirectory(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "blocked"), nil, 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "www"), 0o755))
	doc := `<configuration><system.applicationHost><sites>
  <site name="Blocked" id="1"><application path="/"><virtualDirectory path="/" physicalPath="www"/></application>
    <logFile directory="blocked/logs"/></site>
  <site name="Fresh" id="2"><application path="/"><virtualDirectory path="/" physicalPath="www"/></application>
    <logFile directory="new/logs"/></site>
</sites></system.applicationHost></configuration>`
	report, path := checkFile(t, dir, doc)
	assert.Equal(t, []string{path + `:2:3: warning: site "Blocked": access log directory ` + filepath.Join(dir, "blocked", "logs", "W3SVC1") +
		`: ` + filepath.Join(dir, "blocked") + ` is not a directory; its entries would be lost`}, problemLines(report))
	assert.NoDirExists(t, filepath.Join(dir, "new"), "check creates nothing")
}

// TestAccessLogStatusSent logs the status the client was sent: a body that broke its framing
// turns the modules' response into a 400, and the log says 400, not the modules' status.
func TestAccessLogStatusSent(t *testing.T) {
	dir := t.TempDir()
	doc := `<configuration><system.applicationHost><sites>
  <site name="Logged" id="3"><application path="/"><virtualDirectory path="/" physicalPath="."/></application>
    <logFile directory="` + dir + `" logExtFileFlags="UriStem, HttpStatus"/></site>
</sites></system.applicationHost></configuration>`
	cfg, err := host.ParseConfig(strings.NewReader(doc), "")
	require.NoError(t, err)
	srv := guardServe(t, hosttest.Options{Config: cfg})
	conn := rawDial(t, srv)
	_, err = conn.Write([]byte("POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc"))
	require.NoError(t, err)
	require.NoError(t, conn.(interface{ CloseWrite() error }).CloseWrite())
	replies, _ := rawReadAll(t, conn)
	require.Len(t, replies, 1)
	require.Equal(t, 400, replies[0].status)
	stop(t, srv)
	files, err := filepath.Glob(filepath.Join(dir, "W3SVC3", "*.log"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	_, entries := w3cFile(t, files[0])
	require.Len(t, entries, 1)
	assert.Equal(t, map[string]string{"cs-uri-stem": "/read", "sc-status": "400"}, entries[0])
}
