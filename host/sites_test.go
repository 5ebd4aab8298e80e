package host_test

import (
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/testcerts"
)

// sitesFixture serves three sites from one configuration: Shop and Blog share port 8001 by
// host name, Admin has 127.0.0.1:8002 to itself. The ports are only names: each endpoint is
// served on a free port of the test's.
type sitesFixture struct {
	dirs   map[string]string // folder name -> path
	shared string            // the address serving ":8001"
	secure string            // the address serving ":8443", when there are https bindings
	// secureTarget is what TestSitesHTTPS fetches over TLS; "" for "/?info".
	secureTarget string
	admin        string // the address serving "127.0.0.1:8002"
	server       *host.Server
	endpoints    []string
}

func newSitesFixture(t *testing.T, extra string) *sitesFixture {
	return newSitesFixtureTLS(t, extra, "", "")
}

// newSitesFixtureTLS adds https bindings (with their certificate attributes) to Shop and
// Blog: shopTLS and blogTLS are <binding> elements.
// locations are top-level elements added to the configuration.
func newSitesFixtureTLS(t *testing.T, extra, httpsBindings, locations string) *sitesFixture {
	t.Helper()
	base := t.TempDir()
	f := &sitesFixture{dirs: map[string]string{}}
	for name, content := range map[string]string{"shop": "shop home", "api": "api home", "static": "static logo",
		"blog": "blog home", "admin": "admin home", "outside": "outside secret"} {
		dir := filepath.Join(base, name)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(content), 0o644))
		f.dirs[name] = dir
	}
	image := hosttest.Build(t, "testdata/modules/sites.cpp")
	doc := `<configuration>
	<system.applicationHost><sites>
		<site name="Shop" id="2">
			<application path="/">
				<virtualDirectory path="/" physicalPath="` + f.dirs["shop"] + `"/>
				<virtualDirectory path="/static" physicalPath="` + f.dirs["static"] + `"/>
			</application>
			<application path="/api"><virtualDirectory path="/" physicalPath="` + f.dirs["api"] + `"/></application>
			<bindings><binding protocol="http" bindingInformation="*:8001:shop.test"/>` + strings.Split(httpsBindings+"|", "|")[0] + `</bindings>
		</site>
		<site name="Blog" id="3">
			<application path="/"><virtualDirectory path="/" physicalPath="` + f.dirs["blog"] + `"/></application>
			<bindings><binding protocol="http" bindingInformation="*:8001:blog.test"/>` + strings.Split(httpsBindings+"|", "|")[1] + `</bindings>
		</site>
		<site name="Admin" id="4">
			<application path="/"><virtualDirectory path="/" physicalPath="` + f.dirs["admin"] + `"/></application>
			<bindings>
				<binding protocol="http" bindingInformation="127.0.0.1:8002:"/>
				<binding protocol="net.tcp" bindingInformation="808:*"/>
			</bindings>
			` + extra + `
		</site>
	</sites></system.applicationHost>
	<system.webServer>
		<globalModules><add name="Sites" image="` + image + `"/></globalModules>
		<modules><add name="Sites"/></modules>
	</system.webServer>
	` + locations + `
</configuration>`
	cfg, err := host.ParseConfig(strings.NewReader(doc), "sites.config")
	require.NoError(t, err)
	log := &hosttest.Log{}
	srv, err := host.New(cfg, host.Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
	require.NoError(t, err)
	f.server = srv
	f.endpoints = srv.Endpoints()
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	serve := func(address string) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		go func() { _ = srv.ServeEndpoint(address, ln) }()
		return ln.Addr().String()
	}
	f.shared, f.admin = serve(":8001"), serve("127.0.0.1:8002")
	if httpsBindings != "" {
		f.secure = serve(":8443")
	}
	assert.Contains(t, log.String(), `msg="binding not served: iishost serves http and https" site=Admin protocol=net.tcp binding=808:*`)
	return f
}

// get sends a GET for target to addr with the given Host header and returns status and body.
func (f *sitesFixture) get(t *testing.T, addr, hostName, target string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+target, nil)
	require.NoError(t, err)
	req.Host = hostName
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestSitesRouteByBinding(t *testing.T) {
	f := newSitesFixture(t, "")
	assert.Equal(t, []string{":8001", "127.0.0.1:8002"}, f.endpoints)
	for _, tc := range []struct{ addr, host, target, want string }{
		{f.shared, "shop.test", "/", "shop home"},
		{f.shared, "SHOP.test:8001", "/", "shop home"},
		{f.shared, "blog.test", "/", "blog home"},
		{f.shared, "shop.test", "/api/", "api home"},
		{f.shared, "shop.test", "/static/", "static logo"},
		{f.shared, "shop.test", "/STATIC/index.html", "static logo"},
		{f.shared, "blog.test", "/static/", ""}, // the directory is Shop's alone
		{f.admin, "anything.test", "/", "admin home"},
		{f.admin, "shop.test", "/", "admin home"}, // an address's own binding takes every host name
	} {
		status, body := f.get(t, tc.addr, tc.host, tc.target)
		if tc.want == "" {
			assert.Equal(t, http.StatusNotFound, status, "%s %s", tc.host, tc.target)
			continue
		}
		assert.Equal(t, http.StatusOK, status, "%s %s", tc.host, tc.target)
		assert.Equal(t, tc.want, body, "%s %s", tc.host, tc.target)
	}
}

func TestSitesInvalidHostname(t *testing.T) {
	f := newSitesFixture(t, "")
	status, body := f.get(t, f.shared, "other.test", "/")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body, "Invalid Hostname")
	// Raw: HTTP/1.0 with no Host header at all, and a host name that only ends like one.
	for _, request := range []string{
		"GET / HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: evilshop.test\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: shop.test.evil\r\n\r\n",
	} {
		conn, err := net.Dial("tcp", f.shared)
		require.NoError(t, err)
		_, err = io.WriteString(conn, request)
		require.NoError(t, err)
		reply, _ := io.ReadAll(conn)
		conn.Close()
		assert.Regexp(t, `^HTTP/1\.[01] 400 `, string(reply), request)
		assert.NotContains(t, string(reply), "home", request)
	}
}

func TestSitesApplicationsAndContexts(t *testing.T) {
	f := newSitesFixture(t, "")
	lines := func(addr, hostName, target string) map[string]string {
		status, body := f.get(t, addr, hostName, target)
		require.Equal(t, http.StatusOK, status, body)
		out := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
			k, v, _ := strings.Cut(line, "=")
			out[k] = v
		}
		return out
	}
	shop := lines(f.shared, "shop.test", "/x/page?info")
	assert.Equal(t, "2 Shop", shop["site"])
	assert.Equal(t, "/LM/W3SVC/2/ROOT|"+f.dirs["shop"]+"|MACHINE/WEBROOT/APPHOST/Shop", shop["app"])
	assert.Equal(t, "MACHINE/WEBROOT/APPHOST/Shop|"+f.dirs["shop"], shop["meta"])
	assert.Equal(t, "2|Shop|/LM/W3SVC/2/ROOT|"+f.dirs["shop"]+"|"+f.dirs["shop"]+"/x/page", shop["vars"])
	assert.Equal(t, f.dirs["shop"]+"/x/page", shop["map"])
	assert.Equal(t, "1", shop["sitehits"])
	assert.Equal(t, "1", shop["apphits"])

	api := lines(f.shared, "shop.test", "/API/v1?info")
	assert.Equal(t, "2 Shop", api["site"])
	assert.Equal(t, "/LM/W3SVC/2/ROOT/api|"+f.dirs["api"]+"|MACHINE/WEBROOT/APPHOST/Shop/api", api["app"])
	assert.Equal(t, f.dirs["api"]+"/v1", api["map"])
	assert.Equal(t, "2", api["sitehits"], "one container for the whole site")
	assert.Equal(t, "1", api["apphits"], "the application has its own")

	static := lines(f.shared, "shop.test", "/static/a/b?info")
	assert.Equal(t, f.dirs["static"]+"/a/b", static["map"])
	assert.Equal(t, "/LM/W3SVC/2/ROOT|"+f.dirs["shop"]+"|MACHINE/WEBROOT/APPHOST/Shop", static["app"], "a directory of the root application")

	blog := lines(f.shared, "blog.test", "/?info")
	assert.Equal(t, "3 Blog", blog["site"])
	assert.Equal(t, "1", blog["sitehits"], "another site counts apart")
	assert.Equal(t, "/LM/W3SVC/3/ROOT|"+f.dirs["blog"]+"|MACHINE/WEBROOT/APPHOST/Blog", blog["app"])
}

// No URL of a site reads a file outside its own folders.
func TestSitesConfinement(t *testing.T) {
	f := newSitesFixture(t, "")
	rel, err := filepath.Rel(f.dirs["static"], filepath.Join(f.dirs["outside"], "index.html"))
	require.NoError(t, err)
	for _, target := range []string{
		"/static/" + rel,
		"/static/" + strings.ReplaceAll(rel, "/", "%2f"),
		"/static/" + strings.ReplaceAll(rel, "/", "%5c"),
		"/api/..%2f..%2foutside/index.html",
		"/static/..\\..\\outside\\index.html",
	} {
		conn, err := net.Dial("tcp", f.shared)
		require.NoError(t, err)
		_, err = io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")
		require.NoError(t, err)
		reply, _ := io.ReadAll(conn)
		conn.Close()
		assert.NotContains(t, string(reply), "outside secret", target)
		assert.NotContains(t, string(reply), "HTTP/1.1 200", target)
	}
}

// One site over http and https: the module sees HTTPS=on only over TLS; SNI picks each site's
// certificate on a shared port, HTTP/2 is negotiated, and both protocols share the site's
// module contexts.
func TestSitesHTTPS(t *testing.T) {
	ca := testcerts.NewCA(t, "Sites CA")
	dir := t.TempDir()
	shopCert, shopKey := ca.Server(t, 11, "shop.test").Write(t, dir, "shop")
	blogCert, blogKey := ca.Server(t, 12, "blog.test").Write(t, dir, "blog")
	f := newSitesFixtureTLS(t, "",
		`<binding protocol="https" bindingInformation="*:8443:shop.test" certificateFile="`+shopCert+`" certificateKeyFile="`+shopKey+`"/>|`+
			`<binding protocol="https" bindingInformation="*:8443:blog.test" certificateFile="`+blogCert+`" certificateKeyFile="`+blogKey+`"/>`,
		`<location path="Shop/account"><system.webServer><security><access sslFlags="Ssl"/></security></system.webServer></location>`)
	assert.Equal(t, []string{":8001", ":8443", "127.0.0.1:8002"}, f.endpoints, "in the order the configuration first names each")

	fetch := func(name string, h2 bool) (*http.Response, map[string]string) {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool, ServerName: name}, ForceAttemptHTTP2: h2}
		if !h2 {
			tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		}
		defer tr.CloseIdleConnections()
		target := "/?info"
		if f.secureTarget != "" {
			target = f.secureTarget
		}
		req, err := http.NewRequest(http.MethodGet, "https://"+f.secure+target, nil)
		require.NoError(t, err)
		req.Host = name
		resp, err := (&http.Client{Transport: tr}).Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		out := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
			k, v, _ := strings.Cut(line, "=")
			out[k] = v
		}
		return resp, out
	}
	status, plain := f.get(t, f.shared, "shop.test", "/?info")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, plain, "https=off|0|HTTP/1.1")
	assert.Contains(t, plain, "sitehits=1")

	resp, shop := fetch("shop.test", false)
	assert.Equal(t, "2 Shop", shop["site"])
	assert.Equal(t, "on|1|HTTP/1.1", shop["https"])
	assert.Equal(t, "shop.test", resp.TLS.PeerCertificates[0].Subject.CommonName)
	assert.Equal(t, "2", shop["sitehits"], "http and https share the site's container")

	// sslFlags="Ssl" under /account: plain HTTP is 403.4 there only, HTTPS is served.
	status, page := f.get(t, f.shared, "shop.test", "/account/orders?info")
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, page, "HTTP Error 403.4")
	status, _ = f.get(t, f.shared, "shop.test", "/accounting?info")
	assert.Equal(t, http.StatusOK, status, "a sibling path is not under the location")
	status, _ = f.get(t, f.shared, "blog.test", "/account/orders?info")
	assert.Equal(t, http.StatusOK, status, "the location is Shop's")
	f.secureTarget = "/account/orders?info"
	_, secured := fetch("shop.test", false)
	assert.Equal(t, "on|1|HTTP/1.1", secured["https"])
	f.secureTarget = ""

	resp, blog := fetch("blog.test", true)
	assert.Equal(t, 2, resp.ProtoMajor, "HTTP/2 over TLS")
	assert.Equal(t, "3 Blog", blog["site"])
	assert.True(t, strings.HasPrefix(blog["https"], "on|1|HTTP/2"), blog["https"])
	assert.Equal(t, "blog.test", resp.TLS.PeerCertificates[0].Subject.CommonName)
}
