package host_test

// HTTPS: certificates per SNI name from PEM files, their reload, HTTP/2, what modules see of
// TLS (server variables, pSslInfo, GetClientCertificate) and sslFlags, through tlsvars.cpp.

import (
	"bufio"
	"crypto/tls"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/testcerts"
)

type tlsSite struct {
	*hosttest.Server // plain HTTP
	addr             string
	ca               *testcerts.CA
	dir              string
}

// sslConfig is a configuration whose site has these sslFlags ("" for none).
func sslConfig(t testing.TB, flags string) *host.Config {
	doc := "<configuration/>"
	if flags != "" {
		doc = `<configuration><system.webServer><security><access sslFlags="` + flags + `"/></security></system.webServer></configuration>`
	}
	cfg, err := host.ParseConfig(strings.NewReader(doc), "tls.config")
	require.NoError(t, err)
	return cfg
}

// serveTLSSite serves tlsvars.cpp over plain HTTP and over TLS with the certificates certs
// writes (into dir, signed by ca); clients certificates are verified against ca.
func serveTLSSite(t testing.TB, flags string, certs func(ca *testcerts.CA, dir string) []host.TLSCertificate) *tlsSite {
	ca := testcerts.NewCA(t, "Tls CA")
	dir := t.TempDir()
	specs := certs(ca, dir)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: sslConfig(t, flags)},
		hosttest.Module{Name: "TlsVars", Image: hosttest.Build(t, "testdata/modules/tlsvars.cpp")})
	hs := &http.Server{}
	srv.Host.ConfigureHTTPServer(hs)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	tl, err := srv.Host.TLSListener(ln, host.TLSEndpoint{Certificates: specs, ClientCAs: ca.Pool}, hs)
	require.NoError(t, err)
	go func() { _ = hs.Serve(tl) }()
	t.Cleanup(func() { _ = hs.Close() })
	return &tlsSite{Server: srv, addr: ln.Addr().String(), ca: ca, dir: dir}
}

// defaultCert is one binding without a host name, for "localhost".
func defaultCert(ca *testcerts.CA, dir string, t testing.TB) []host.TLSCertificate {
	c, k := ca.Server(t, 2, "localhost").Write(t, dir, "default")
	return []host.TLSCertificate{{CertFile: c, KeyFile: k}}
}

type tlsClient struct {
	serverName string
	h2         bool
	suite      uint16 // a TLS 1.2 suite to insist on; 0: any version, any suite
	cert       *tls.Certificate
}

// get fetches path over TLS, on a connection of its own, and returns the response and its body.
func (s *tlsSite) get(t testing.TB, c tlsClient, path string) (*http.Response, string) {
	tr := s.transport(c)
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Get("https://" + s.addr + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// transport is a client transport for c.
func (s *tlsSite) transport(c tlsClient) *http.Transport {
	cfg := &tls.Config{RootCAs: s.ca.Pool, ServerName: c.serverName}
	if cfg.ServerName == "" {
		cfg.ServerName = "localhost"
	}
	if c.suite != 0 {
		cfg.MaxVersion, cfg.CipherSuites = tls.VersionTLS12, []uint16{c.suite}
	}
	if c.cert != nil {
		cfg.Certificates = []tls.Certificate{*c.cert}
	}
	if !c.h2 {
		cfg.NextProtos = []string{"http/1.1"}
	}
	return &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: c.h2}
}

// varsOK fetches the module's report, which must be a 200.
func (s *tlsSite) varsOK(t *testing.T, c tlsClient) (*http.Response, map[string]string) {
	resp, body := s.get(t, c, "/x")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	return resp, parseVars(body)
}

// parseVars reads tlsvars.cpp's NAME=value lines; the lines of several fields keep their text
// under their first field's name.
func parseVars(body string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		name, value, _ := strings.Cut(line, "=")
		out[name] = value
	}
	return out
}

// peerSerial is the serial number of the certificate the server presented for serverName.
func (s *tlsSite) peerSerial(t *testing.T, serverName string) int64 {
	c, err := tls.Dial("tcp", s.addr, &tls.Config{RootCAs: s.ca.Pool, ServerName: serverName})
	require.NoError(t, err)
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
}

// TestTLSServerVariables: over TLS (HTTP/1.1 through the tap, and HTTP/2) modules see HTTPS=on,
// the cipher's key size, the server certificate's key size and names, and pSslInfo; over plain
// HTTP the same variables say off, 0 or nothing, pSslInfo is NULL, and GetClientCertificate finds
// no certificate either way.
func TestTLSServerVariables(t *testing.T) {
	s := serveTLSSite(t, "", func(ca *testcerts.CA, dir string) []host.TLSCertificate { return defaultCert(ca, dir, t) })
	subject := "O=iishost tests, CN=localhost"
	cases := []struct {
		client         tlsClient
		proto, keyBits string
	}{
		{tlsClient{suite: tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}, "1", "256"},
		{tlsClient{h2: true, suite: tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, "2", "128"},
		{tlsClient{h2: true, suite: tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}, "2", "256"},
	}
	for _, c := range cases {
		resp, v := s.varsOK(t, c.client)
		assert.Equal(t, c.proto, resp.Proto[len("HTTP/"):len("HTTP/")+1], "protocol negotiated")
		assert.Equal(t, "on", v["HTTPS"])
		assert.Equal(t, "1", v["SERVER_PORT_SECURE"])
		assert.Equal(t, c.keyBits, v["HTTPS_KEYSIZE"])
		assert.Equal(t, c.keyBits, v["CERT_KEYSIZE"])
		assert.Equal(t, "256", v["HTTPS_SECRETKEYSIZE"], "a P-256 server key")
		assert.Equal(t, subject, v["HTTPS_SERVER_SUBJECT"])
		assert.Equal(t, "O=iishost tests, CN=Tls CA", v["HTTPS_SERVER_ISSUER"])
		assert.Equal(t, "0", v["CERT_FLAGS"])
		assert.Empty(t, v["CERT_SUBJECT"])
		assert.Equal(t, "0x80070490 negotiated=0 info=null", v["getcert"], "ERROR_NOT_FOUND without a client certificate")
		assert.Equal(t, "0x80070057", v["nullargs"])
		assert.Equal(t, c.keyBits+",256,"+strconv.Itoa(len(subject))+","+subject+",0,client=null", v["ssl"])
	}

	resp, err := http.Get(s.URL + "/x")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	v := parseVars(string(body))
	assert.Equal(t, "off", v["HTTPS"])
	assert.Equal(t, "0", v["SERVER_PORT_SECURE"])
	assert.Empty(t, v["HTTPS_KEYSIZE"])
	assert.Empty(t, v["HTTPS_SERVER_SUBJECT"])
	assert.Equal(t, "0", v["CERT_FLAGS"])
	assert.Equal(t, "0x80070490 negotiated=0 info=null", v["getcert"])
	assert.Equal(t, "null", v["ssl"])
}

// TestTLSSNI: on one port the SNI name picks its binding's certificate, case-insensitively; a
// "*.domain" binding answers one label more; other names get the binding without a host name.
func TestTLSSNI(t *testing.T) {
	s := serveTLSSite(t, "", func(ca *testcerts.CA, dir string) []host.TLSCertificate {
		var out []host.TLSCertificate
		for i, name := range []string{"a.test", "b.test", "*.w.test", ""} {
			cn := name
			if cn == "" {
				cn = "default.test"
			}
			c, k := ca.Server(t, int64(10+i), cn, "x.w.test", "y.x.w.test", "other.test").Write(t, dir, "c"+strconv.Itoa(i))
			out = append(out, host.TLSCertificate{HostName: name, CertFile: c, KeyFile: k})
		}
		return out
	})
	for name, serial := range map[string]int64{"a.test": 10, "B.TEST": 11, "x.w.test": 12, "y.x.w.test": 13, "other.test": 13} {
		assert.Equal(t, serial, s.peerSerial(t, name), name)
	}
	_, v := s.varsOK(t, tlsClient{serverName: "b.test", h2: true})
	assert.Equal(t, "O=iishost tests, CN=b.test", v["HTTPS_SERVER_SUBJECT"], "the module sees the certificate SNI chose")
}

// TestTLSCertificateReload: a certificate replaced on disk is served to new handshakes without
// a restart; a broken replacement is logged and the last good one stays.
func TestTLSCertificateReload(t *testing.T) {
	var certFile, keyFile string
	s := serveTLSSite(t, "", func(ca *testcerts.CA, dir string) []host.TLSCertificate {
		certFile, keyFile = ca.Server(t, 20, "localhost").Write(t, dir, "site")
		return []host.TLSCertificate{{CertFile: certFile, KeyFile: keyFile}}
	})
	require.Equal(t, int64(20), s.peerSerial(t, "localhost"))
	s.ca.Server(t, 21, "localhost").Write(t, s.dir, "site")
	require.Eventually(t, func() bool { return s.peerSerial(t, "localhost") == 21 }, 20*time.Second, 50*time.Millisecond)
	assert.Contains(t, s.Log.String(), "https certificate reloaded")

	testcerts.WriteFile(t, certFile, []byte("-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"))
	require.Eventually(t, func() bool {
		s.peerSerial(t, "localhost") // handshakes are what look at the files
		return strings.Contains(s.Log.String(), "https certificate not reloaded")
	}, 20*time.Second, 50*time.Millisecond)
	assert.Equal(t, int64(21), s.peerSerial(t, "localhost"), "the last good certificate stays")
	assert.Contains(t, s.Log.String(), certFile)

	// A key that is not the certificate's is refused the same way.
	other := s.ca.Server(t, 22, "localhost")
	testcerts.WriteFile(t, certFile, other.CertPEM)
	require.Eventually(t, func() bool {
		s.peerSerial(t, "localhost")
		return strings.Count(s.Log.String(), "https certificate not reloaded") == 2
	}, 20*time.Second, 50*time.Millisecond)
	assert.Equal(t, int64(21), s.peerSerial(t, "localhost"))
	testcerts.WriteFile(t, keyFile, other.KeyPEM)
	require.Eventually(t, func() bool { return s.peerSerial(t, "localhost") == 22 }, 20*time.Second, 50*time.Millisecond)
}

// TestTLSCertificateErrors: an unusable certificate fails the endpoint with the binding, both
// files and the reason; an expired one is served with a warning.
func TestTLSCertificateErrors(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "TlsVars", Image: hosttest.Build(t, "testdata/modules/tlsvars.cpp")})
	ca := testcerts.NewCA(t, "Tls CA")
	dir := t.TempDir()
	good, goodKey := ca.Server(t, 2, "good.test").Write(t, dir, "good")
	_, otherKey := ca.Server(t, 3, "good.test").Write(t, dir, "other")
	badPEM := filepath.Join(dir, "bad.crt")
	require.NoError(t, os.WriteFile(badPEM, []byte("not PEM"), 0o600))
	missing := filepath.Join(dir, "missing.crt")
	cases := []struct {
		spec   host.TLSCertificate
		reason string
	}{
		{host.TLSCertificate{HostName: "a.test", CertFile: missing, KeyFile: goodKey}, "no such file"},
		{host.TLSCertificate{HostName: "b.test", CertFile: badPEM, KeyFile: goodKey}, "failed to find any PEM data"},
		{host.TLSCertificate{HostName: "c.test", CertFile: good, KeyFile: otherKey}, "private key does not match public key"},
		{host.TLSCertificate{HostName: "d.test", CertFile: good}, "certificateFile and certificateKeyFile are both required"},
	}
	for _, c := range cases {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		_, err = srv.Host.TLSListener(ln, host.TLSEndpoint{Certificates: []host.TLSCertificate{c.spec}}, &http.Server{})
		ln.Close()
		require.Error(t, err, c.spec.HostName)
		for _, want := range []string{c.spec.HostName, c.spec.CertFile, c.reason} {
			assert.Contains(t, err.Error(), want)
		}
	}

	expired, expiredKey := ca.Expired(t, 4, "old.test").Write(t, dir, "old")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	tl, err := srv.Host.TLSListener(ln, host.TLSEndpoint{Certificates: []host.TLSCertificate{{CertFile: expired, KeyFile: expiredKey}}}, &http.Server{})
	require.NoError(t, err)
	tl.Close()
	assert.Contains(t, srv.Log.String(), "https certificate is outside its validity period")
}

// TestTLSClientCertificates: with SslNegotiateCert a client certificate is asked for and
// modules see it (CERT_*, GetClientCertificate, pSslInfo); without one the request still runs.
// An untrusted one is refused 403.16.
func TestTLSClientCertificates(t *testing.T) {
	s := serveTLSSite(t, "SslNegotiateCert", func(ca *testcerts.CA, dir string) []host.TLSCertificate { return defaultCert(ca, dir, t) })
	alice := s.ca.Client(t, 0x1234, "alice")
	aliceTLS := alice.TLS(t)
	for _, h2 := range []bool{false, true} {
		_, v := s.varsOK(t, tlsClient{h2: h2, cert: &aliceTLS})
		assert.Equal(t, "1", v["CERT_FLAGS"])
		assert.Equal(t, "O=iishost tests, CN=alice", v["CERT_SUBJECT"])
		assert.Equal(t, "O=iishost tests, CN=Tls CA", v["CERT_ISSUER"])
		assert.Equal(t, "12-34", v["CERT_SERIALNUMBER"])
		assert.Len(t, v["CERT_COOKIE"], 32)
		assert.Equal(t, "0x00000000 negotiated=1 info=set", v["getcert"])
		assert.Equal(t, "certsize="+strconv.Itoa(len(alice.Cert.Raw))+" certflags=0 token=null denied=0 der="+hex.EncodeToString(alice.Cert.Raw), "certsize="+v["certsize"])
		assert.True(t, strings.HasSuffix(v["ssl"], ",1,client=same"), v["ssl"])
	}
	_, again := s.varsOK(t, tlsClient{cert: &aliceTLS})
	_, first := s.varsOK(t, tlsClient{h2: true, cert: &aliceTLS})
	assert.Equal(t, first["CERT_COOKIE"], again["CERT_COOKIE"], "the cookie is stable for one certificate")

	_, v := s.varsOK(t, tlsClient{})
	assert.Equal(t, "0", v["CERT_FLAGS"], "a client certificate is asked for, not required")
	assert.Equal(t, "0x80070490 negotiated=1 info=null", v["getcert"], "asked for and not given: negotiated, none found")
	assert.True(t, strings.HasSuffix(v["ssl"], ",1,client=null"), v["ssl"])

	stranger := testcerts.NewCA(t, "Other CA").Client(t, 5, "mallory").TLS(t)
	resp, body := s.get(t, tlsClient{cert: &stranger}, "/x")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, body, "403.16")
}

// TestTLSSSLFlagsRequire: Ssl refuses plain HTTP with 403.4; SslRequireCert answers a TLS
// request without a client certificate 403.7 at the HTTP level (the handshake succeeds).
func TestTLSSSLFlagsRequire(t *testing.T) {
	s := serveTLSSite(t, "Ssl, SslRequireCert", func(ca *testcerts.CA, dir string) []host.TLSCertificate { return defaultCert(ca, dir, t) })
	resp, err := http.Get(s.URL + "/x")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, string(body), "403.4")

	for _, h2 := range []bool{false, true} {
		resp, body := s.get(t, tlsClient{h2: h2}, "/x")
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		assert.Contains(t, body, "403.7")
		assert.NotContains(t, body, "HTTPS=", "the module did not run")
	}
	alice := s.ca.Client(t, 7, "alice").TLS(t)
	_, v := s.varsOK(t, tlsClient{cert: &alice})
	assert.Equal(t, "O=iishost tests, CN=alice", v["CERT_SUBJECT"])
}

// TestTLSSmuggling: over TLS, Content-Length beside Transfer-Encoding is refused before the
// module runs, as over plain HTTP.
func TestTLSSmuggling(t *testing.T) {
	s := serveTLSSite(t, "", func(ca *testcerts.CA, dir string) []host.TLSCertificate { return defaultCert(ca, dir, t) })
	c, err := tls.Dial("tcp", s.addr, &tls.Config{RootCAs: s.ca.Pool, ServerName: "localhost", NextProtos: []string{"http/1.1"}})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(30*time.Second)))
	_, err = io.WriteString(c, "POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.NotContains(t, string(body), "HTTPS=")
	_, err = http.ReadResponse(br, nil)
	assert.Error(t, err, "the connection closes after the refusal: the smuggled request is never answered")
}

// TestHTTPSEndpoints: https bindings listen by address, their certificate files resolved next
// to the configuration file; one whose files are missing stops New, naming the binding's line.
func TestHTTPSEndpoints(t *testing.T) {
	dir := t.TempDir()
	ca := testcerts.NewCA(t, "Endpoints CA")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "certs"), 0o755))
	ca.Server(t, 2, "a.test").Write(t, filepath.Join(dir, "certs"), "a")
	ca.Server(t, 3, "b.test").Write(t, dir, "b")
	path := filepath.Join(dir, "applicationHost.config")
	load := func(bindings string) (*host.Server, error) {
		doc := `<configuration><system.applicationHost><sites><site name="S" id="1">
			<application path="/"><virtualDirectory path="/" physicalPath="."/></application>
			<bindings>` + bindings + `</bindings></site></sites></system.applicationHost></configuration>`
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o600))
		cfg, err := host.LoadConfig(path)
		require.NoError(t, err)
		return host.New(cfg, host.Options{})
	}
	srv, err := load(`<binding protocol="http" bindingInformation="*:8080:"/>
		<binding protocol="https" bindingInformation="*:8443:a.test" certificateFile="certs/a.crt" certificateKeyFile="certs/a.key"/>
		<binding protocol="HTTPS" bindingInformation="127.0.0.1:9443:" certificateFile="` + filepath.Join(dir, "b.crt") + `" certificateKeyFile="b.key"/>
		<binding protocol="https" bindingInformation="*:8443:b.test" certificateFile="b.crt" certificateKeyFile="b.key"/>`)
	require.NoError(t, err)
	assert.Equal(t, []string{":8080", ":8443", "127.0.0.1:9443"}, srv.Endpoints())
	require.NoError(t, srv.Close())

	_, err = load(`<binding protocol="https" bindingInformation="*:443:x.test" certificateFile="x.crt" certificateKeyFile="x.key"/>`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+": 3:")
	assert.Contains(t, err.Error(), "x.crt")
}

// BenchmarkTLSRequest: one request at a time through tlsvars.cpp on a kept-alive connection,
// over plain HTTP, HTTP/1.1 over TLS (through the wire tap) and HTTP/2.
func BenchmarkTLSRequest(b *testing.B) {
	s := serveTLSSite(b, "", func(ca *testcerts.CA, dir string) []host.TLSCertificate { return defaultCert(ca, dir, b) })
	run := func(b *testing.B, client *http.Client, url string) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := client.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, &http.Client{}, s.URL+"/x") })
	b.Run("h1-tls", func(b *testing.B) { run(b, &http.Client{Transport: s.transport(tlsClient{})}, "https://"+s.addr+"/x") })
	b.Run("h2-tls", func(b *testing.B) {
		run(b, &http.Client{Transport: s.transport(tlsClient{h2: true})}, "https://"+s.addr+"/x")
	})
}

// TestSiteSSLFlags: the root's sslFlags, overridden by a <location> for the site itself; a
// location for another site does not apply.
func TestSiteSSLFlags(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(`<configuration>
		<system.webServer><security><access sslFlags="Ssl"/></security></system.webServer>
		<location path="Default Web Site"><system.webServer><security><access sslFlags="Ssl, SslRequireCert"/></security></system.webServer></location>
		<location path="Other"><system.webServer><security><access sslFlags="None"/></security></system.webServer></location>
		<system.applicationHost><sites><site name="Default Web Site" id="1"><application path="/"><virtualDirectory path="/" physicalPath="."/></application></site></sites></system.applicationHost>
	</configuration>`), "flags.config")
	require.NoError(t, err)
	flags, err := host.SiteSSLFlags(cfg, "Default Web Site")
	require.NoError(t, err)
	assert.Equal(t, host.SSLRequired|host.SSLRequireCert, flags)

	cfg, err = host.ParseConfig(strings.NewReader(`<configuration><system.webServer><security><access sslFlags="Ssl, Bogus"/></security></system.webServer></configuration>`), "bad.config")
	require.NoError(t, err)
	_, err = host.SiteSSLFlags(cfg, "Default Web Site")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad.config")
	assert.Contains(t, err.Error(), "Bogus")
	_, _, err = hosttest.Start(t, hosttest.Options{Config: cfg})
	assert.Error(t, err, "New types the document first, so no request meets a bad sslFlags")
}
