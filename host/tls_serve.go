package host

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
	"github.com/iishost/iishost/internal/frontdoor"
)

// SSLFlags is system.webServer/security/access sslFlags: which requests must come over TLS and
// whether a client certificate is asked for.
type SSLFlags uint32

// The sslFlags values IIS's schema declares.
const (
	SSLRequired            SSLFlags = 8   // Ssl: plain HTTP is answered 403.4
	SSLNegotiateCert       SSLFlags = 32  // SslNegotiateCert: a client certificate is requested
	SSLRequireCert         SSLFlags = 64  // SslRequireCert: without one the answer is 403.7
	SSLMapCert             SSLFlags = 128 // SslMapCert: certificate mapping, which iishost does not do
	SSLRequire128BitCipher SSLFlags = 256 // Ssl128: a cipher of 128 bits or more (every TLS 1.2+ suite Go offers)
)

const accessSection = "system.webServer/security/access"

// SiteSSLFlags reads a site's sslFlags: the root's system.webServer/security/access, then
// any <location> that names the site itself.
func SiteSSLFlags(cfg *Config, site string) (SSLFlags, error) {
	scopes, err := siteSSLScopes(cfg, site)
	if err != nil || len(scopes) == 0 {
		return 0, err
	}
	return scopes[len(scopes)-1].flags, nil
}

// sslScope is the sslFlags in force for the URLs under url ("/": the whole site).
type sslScope struct {
	url   string
	flags SSLFlags
}

// siteSSLScopes reads a site's sslFlags at every level that sets them, deepest URL first, the
// site's own level last: the root (and <location path="">), then <location path="Site">, then
// each <location path="Site/url">, a level inheriting what the one above it says.
func siteSSLScopes(cfg *Config, site string) ([]sslScope, error) {
	if cfg.Document == nil {
		return nil, nil
	}
	attr := NewSchema().Section(accessSection).attribute("sslFlags")
	read := func(el *ConfigElement, flags *SSLFlags) error {
		text, ok := sectionAttribute(el, accessSection, "sslFlags")
		if !ok {
			return nil
		}
		v, err := attr.parse(text)
		if err != nil {
			return fmt.Errorf("%s: %s sslFlags: %w", cfg.Source, accessSection, err)
		}
		*flags = SSLFlags(v.Number)
		return nil
	}
	var root SSLFlags
	if err := read(cfg.Document, &root); err != nil {
		return nil, err
	}
	type level struct {
		url string
		el  *ConfigElement
	}
	var levels []level
	for _, loc := range cfg.Document.Children {
		if loc.Name != "location" {
			continue
		}
		at, _ := configAttribute(loc, "path")
		name, rest, _ := strings.Cut(strings.Trim(at, "/"), "/")
		switch {
		case name == "" || name == ".":
			if err := read(loc, &root); err != nil {
				return nil, err
			}
		case strings.EqualFold(name, site):
			levels = append(levels, level{"/" + strings.Trim(rest, "/"), loc})
		}
	}
	depth := func(url string) int { return strings.Count(strings.TrimSuffix(url, "/"), "/") }
	slices.SortStableFunc(levels, func(a, b level) int { return depth(a.url) - depth(b.url) })
	scopes := []sslScope{{url: "/", flags: root}} // least specific first while building
	for _, l := range levels {
		flags := scopes[0].flags
		for _, sc := range scopes {
			if urlUnder(l.url, sc.url) {
				flags = sc.flags
			}
		}
		if err := read(l.el, &flags); err != nil {
			return nil, err
		}
		if l.url == "/" {
			scopes[0].flags = flags
			continue
		}
		scopes = append(scopes, sslScope{l.url, flags})
	}
	slices.Reverse(scopes)
	return scopes, nil
}

// sectionAttribute finds an attribute of a section ("group/.../section") among el's children.
func sectionAttribute(el *ConfigElement, section, name string) (string, bool) {
	for _, part := range strings.Split(section, "/") {
		var next *ConfigElement
		for _, c := range el.Children {
			if c.Name == part {
				next = c
			}
		}
		if next == nil {
			return "", false
		}
		el = next
	}
	return configAttribute(el, name)
}

// sslFlagsFor is the sslFlags in force for a request's canonical path.
func (site *siteRuntime) sslFlagsFor(path string) SSLFlags {
	for _, sc := range site.sslScopes {
		if urlUnder(path, sc.url) {
			return sc.flags
		}
	}
	return 0
}

// anySSLFlags is every flag some URL of the site has: a handshake happens before the URL is
// known, so a client certificate is asked for when any URL of the site may want one.
func (site *siteRuntime) anySSLFlags() SSLFlags {
	var all SSLFlags
	for _, sc := range site.sslScopes {
		all |= sc.flags
	}
	return all
}

// clientAuth is the handshake's client certificate request for flags: a certificate is asked
// for but not demanded, so that a missing or untrusted one is answered at the HTTP level (403.7,
// 403.16) as IIS does, not with a failed handshake.
func (f SSLFlags) clientAuth() tls.ClientAuthType {
	if f&(SSLNegotiateCert|SSLRequireCert) != 0 {
		return tls.RequestClientCert
	}
	return tls.NoClientCert
}

// TLSEndpoint is what one https listening endpoint serves.
type TLSEndpoint struct {
	// Certificates are the endpoint's https bindings, one per host name.
	Certificates []TLSCertificate
	// ClientCAs verify client certificates; nil: the system's roots.
	ClientCAs *x509.CertPool
}

// TLSListener wraps ln with TLS and the front door, for serving through hs, which must already
// be set up with ConfigureHTTPServer (its MaxHeaderBytes bounds HTTP/2 header lists too). A
// handshake asks for a client certificate when the site its SNI name routes to (as Serve
// routes a request) has sslFlags that want one. ServeEndpoint does this for https bindings.
func (s *Server) TLSListener(ln net.Listener, ep TLSEndpoint, hs *http.Server) (net.Listener, error) {
	cfg, err := s.tlsConfig(ep, func(hello *tls.ClientHelloInfo) *siteRuntime { return s.routes.siteForName(hello.ServerName, nil, nil) })
	if err != nil {
		return nil, err
	}
	return s.tlsListen(ln, cfg, ep, hs), nil
}

// tlsConfig loads an endpoint's certificates and sets who is asked for a client certificate.
func (s *Server) tlsConfig(ep TLSEndpoint, siteOf func(*tls.ClientHelloInfo) *siteRuntime) (*tls.Config, error) {
	store, err := newCertificateStore(ep.Certificates, s.logger)
	if err != nil {
		return nil, err
	}
	if ep.ClientCAs != nil {
		s.clientRoots.Store(ep.ClientCAs)
	}
	return newTLSConfig(store, func(hello *tls.ClientHelloInfo) tls.ClientAuthType {
		if site := siteOf(hello); site != nil {
			return site.anySSLFlags().clientAuth()
		}
		return tls.NoClientCert
	}), nil
}

func (s *Server) tlsListen(ln net.Listener, cfg *tls.Config, ep TLSEndpoint, hs *http.Server) net.Listener {
	s.host.SetClientCertificateTrust(func(cs *tls.ConnectionState) bool { return clientCertTrusted(cs, s.clientRoots.Load()) })
	frontdoor.ConfigureHTTP2(hs, cfg)
	s.logTLSEndpoint(ln, ep)
	return frontdoor.NewTLSListener(throttledListener{ln}, cfg, &s.limits, s.logger)
}

// sslRefused answers what sslFlags forbids, after the front door admitted r: 403.4 for plain
// HTTP when TLS is required, 403.7 over TLS without a client certificate when one is required,
// 403.16 when the client's certificate does not verify.
func (s *Server) sslRefused(r *http.Request, site *siteRuntime) *cabi.Refusal {
	f := site.sslFlagsFor(r.URL.Path)
	if f == 0 {
		return nil
	}
	state := frontdoor.TLSState(r)
	switch {
	case state == nil && f&SSLRequired != 0:
		return forbid(4, "This page must be viewed over a secure channel (HTTPS).")
	case state == nil:
		return nil
	case len(state.PeerCertificates) == 0 && f&SSLRequireCert != 0:
		return forbid(7, "This page requires a client certificate.")
	case len(state.PeerCertificates) > 0 && f&(SSLNegotiateCert|SSLRequireCert) != 0 && !clientCertTrusted(state, s.clientRoots.Load()):
		return forbid(16, "The client certificate is untrusted or invalid.")
	}
	return nil
}

// clientCertTrusted verifies the client's chain (the leaf, with the rest as intermediates).
func clientCertTrusted(state *tls.ConnectionState, roots *x509.CertPool) bool {
	opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	for _, c := range state.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := state.PeerCertificates[0].Verify(opts)
	return err == nil
}

// forbid is a 403 with IIS's substatus in the page (HTTP carries no substatus).
func forbid(sub int, reason string) *cabi.Refusal {
	return &cabi.Refusal{Status: http.StatusForbidden, Substatus: sub, Page: refusalPage(http.StatusForbidden, sub, reason)}
}

// logTLSEndpoint says what an https endpoint serves.
func (s *Server) logTLSEndpoint(ln net.Listener, ep TLSEndpoint) {
	names := make([]string, len(ep.Certificates))
	for i, c := range ep.Certificates {
		names[i] = c.HostName
	}
	s.logger.Info("listening (https)", slog.String("address", ln.Addr().String()), slog.Any("host_names", names))
}
