package host

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// endpoint is one address iishost listens on for a configuration's bindings, and the bindings
// it answers for. Bindings on one port with an all-addresses binding ("*") share one endpoint
// on every address; otherwise each address has its own.
type endpoint struct {
	address     string      // for net.Listen: "127.0.0.1:8080", ":80", "[::1]:443"
	secure      bool        // https bindings
	tls         *tls.Config // for secure ones: certificates by SNI name, loaded by New
	bindings    []siteBinding
	idleTimeout time.Duration // the longest connectionTimeout of its sites
}

// siteBinding is a binding with its site, its address parsed (nil for all addresses).
type siteBinding struct {
	Binding
	site *siteRuntime
	ip   net.IP
}

// router finds the site a request is for.
type router struct {
	endpoints []*endpoint
	all       []siteBinding // every http and https binding, for requests on no endpoint
	fallback  *siteRuntime  // the first site
}

// planEndpoints groups the sites' http and https bindings into endpoints. Two bindings that
// answer the same requests, and http beside https on one port, are errors naming both; every
// such error is returned (errors.Join), each binding it names left out.
func planEndpoints(cfg *Config, sites []*siteRuntime) (*router, error) {
	rt := &router{fallback: sites[0]}
	byPort := map[string][]siteBinding{}
	var ports []string
	var errs []error
	for _, site := range sites {
		for _, b := range site.config.Bindings {
			if !b.web() {
				continue
			}
			sb := siteBinding{Binding: b, site: site}
			if !wildcardAddress(b.Address) {
				if sb.ip = net.ParseIP(strings.Trim(b.Address, "[]")); sb.ip == nil {
					errs = append(errs, &configError{source: cfg.Source, at: b.at, err: fmt.Errorf("binding %q of site %q: %q is not an IP address or *", b.Information, site.config.Name, b.Address)})
					continue
				}
			}
			var conflict error
			for _, other := range byPort[b.Port] {
				if conflict = bindingConflict(cfg, sb, other); conflict != nil {
					break
				}
			}
			if conflict != nil {
				errs = append(errs, conflict)
				continue
			}
			if byPort[b.Port] == nil {
				ports = append(ports, b.Port)
			}
			byPort[b.Port] = append(byPort[b.Port], sb)
			rt.all = append(rt.all, sb)
		}
	}
	for _, port := range ports {
		group := byPort[port]
		shared := false
		for _, sb := range group {
			shared = shared || sb.ip == nil
		}
		byAddress := map[string]*endpoint{}
		for _, sb := range group {
			addr := ":" + port
			if !shared {
				addr = net.JoinHostPort(sb.ip.String(), port)
			}
			ep := byAddress[addr]
			if ep == nil {
				ep = &endpoint{address: addr, secure: sb.secure()}
				byAddress[addr] = ep
				rt.endpoints = append(rt.endpoints, ep)
			}
			ep.bindings = append(ep.bindings, sb)
			ep.idleTimeout = max(ep.idleTimeout, sb.site.config.Limits.ConnectionTimeout)
		}
	}
	return rt, errors.Join(errs...)
}

func wildcardAddress(a string) bool { return a == "" || a == "*" }

// bindingConflict refuses what HTTP.sys cannot register: http and https on one port, and two
// bindings for the same address and host name.
func bindingConflict(cfg *Config, b, other siteBinding) error {
	describe := func(sb siteBinding) string {
		return fmt.Sprintf("%s binding %q of site %q (line %d)", sb.Protocol, sb.Information, sb.site.config.Name, sb.at.line)
	}
	switch {
	case b.secure() != other.secure():
		return &configError{source: cfg.Source, at: b.at, err: fmt.Errorf("%s shares port %s with %s: http and https cannot share a port", describe(b), b.Port, describe(other))}
	case strings.EqualFold(b.Host, other.Host) && sameAddress(b.ip, other.ip):
		return &configError{source: cfg.Source, at: b.at, err: fmt.Errorf("%s answers the same requests as %s", describe(b), describe(other))}
	}
	return nil
}

func sameAddress(a, b net.IP) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(b))
}

// site finds the site for a request that arrived on ep, as HTTP.sys ranks bindings: a host
// name on the request's address, a host name on all addresses, the address with no host name,
// then all addresses with no host name. nil means no binding answers for the request's host
// (400 Invalid Hostname). A request on no endpoint (Serve) goes to the site with a binding for
// its host name, else to the first site.
func (rt *router) site(r *http.Request, ep *endpoint) *siteRuntime {
	var local net.IP
	if ep != nil {
		if a, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok {
			local = a.IP
		}
	}
	return rt.siteForName(requestHostName(r.Host), local, ep)
}

// siteForName is site for a host name that arrived on the local address local.
func (rt *router) siteForName(host string, local net.IP, ep *endpoint) *siteRuntime {
	if ep == nil {
		for _, sb := range rt.all {
			if sb.Host != "" && hostMatches(sb.Host, host) {
				return sb.site
			}
		}
		return rt.fallback
	}
	best, rank := (*siteRuntime)(nil), 5
	for _, sb := range ep.bindings {
		if sb.ip != nil && !sb.ip.Equal(local) {
			continue
		}
		named := sb.Host != ""
		if named && !hostMatches(sb.Host, host) {
			continue
		}
		r := 4
		switch {
		case named && sb.ip != nil:
			r = 1
		case named:
			r = 2
		case sb.ip != nil:
			r = 3
		}
		if r < rank {
			best, rank = sb.site, r
		}
	}
	return best
}

// hostMatches compares a binding's host name with a request's, case-insensitively; a binding
// of "*.example.com" (IIS 10's wildcard host header) takes any name that ends ".example.com".
func hostMatches(binding, host string) bool {
	if suffix, ok := strings.CutPrefix(binding, "*"); ok && strings.HasPrefix(suffix, ".") {
		return len(host) > len(suffix) && strings.EqualFold(host[len(host)-len(suffix):], suffix)
	}
	return strings.EqualFold(binding, host)
}

// requestHostName is the Host header without its port or IPv6 brackets.
// It parses by hand: net.SplitHostPort allocates an error for the common Host without a port.
func requestHostName(h string) string {
	if strings.HasPrefix(h, "[") {
		if end := strings.IndexByte(h, ']'); end > 0 {
			return h[1:end]
		}
		return h
	}
	if i := strings.IndexByte(h, ':'); i >= 0 && strings.IndexByte(h[i+1:], ':') < 0 {
		return h[:i] // one colon: name:port; more would be a bare IPv6 address
	}
	return h
}

// refuseHostName is HTTP.sys's answer to a request no binding takes.
func refuseHostName(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=us-ascii")
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte("<html><body><h1>Bad Request - Invalid Hostname</h1><p>HTTP Error 400. The request hostname is invalid.</p></body></html>\r\n"))
}

// Endpoints lists the addresses the configuration's http and https bindings listen on, in
// configuration order.
func (s *Server) Endpoints() []string { return s.routes.addresses() }

func (rt *router) addresses() []string {
	out := make([]string, len(rt.endpoints))
	for i, ep := range rt.endpoints {
		out[i] = ep.address
	}
	return out
}

// ServeEndpoint serves the bindings of the endpoint at address (one of Endpoints) on ln,
// which may listen anywhere (tests use a free port), until Shutdown.
func (s *Server) ServeEndpoint(address string, ln net.Listener) error {
	for _, ep := range s.routes.endpoints {
		if ep.address == address {
			return s.serveEndpoint(ln, ep)
		}
	}
	return fmt.Errorf("no binding listens on %s", address)
}

// ListenAndServe listens on every endpoint of the configuration's bindings and serves them
// until Shutdown; it returns the first error that stops an endpoint, or
// http.ErrServerClosed.
func (s *Server) ListenAndServe() error {
	eps := s.routes.endpoints
	if len(eps) == 0 {
		return fmt.Errorf("config %s: no site has an http or https binding to listen on", s.config.Source)
	}
	listeners := make([]net.Listener, 0, len(eps))
	for _, ep := range eps {
		ln, err := net.Listen("tcp", ep.address)
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			sb := ep.bindings[0]
			return fmt.Errorf("listen for binding %q of site %q: %w", sb.Information, sb.site.config.Name, err)
		}
		listeners = append(listeners, ln)
	}
	errs := make(chan error, len(eps))
	for i, ep := range eps {
		go func() { errs <- s.serveEndpoint(listeners[i], ep) }()
	}
	for range eps {
		if err := <-errs; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return http.ErrServerClosed
}

// PlanEndpoints lists the addresses cfg's http and https bindings listen on, in the order
// Endpoints gives them, without loading a module: the command's master binds them and hands
// them to its workers.
func PlanEndpoints(cfg *Config) ([]string, error) {
	rt, err := planConfig(cfg)
	if rt == nil || err != nil {
		return nil, err
	}
	return rt.addresses(), nil
}

// PlanTLSEndpoints gives the certificates of each https endpoint of cfg, by address (as
// PlanEndpoints lists it), without loading a module: the command's master answers on them
// while its application pool is stopped.
func PlanTLSEndpoints(cfg *Config) (map[string]TLSEndpoint, error) {
	rt, err := planConfig(cfg)
	if rt == nil || err != nil {
		return nil, err
	}
	out := map[string]TLSEndpoint{}
	for _, ep := range rt.endpoints {
		if ep.secure {
			out[ep.address] = ep.tlsEndpoint()
		}
	}
	return out, nil
}

// planConfig plans cfg's endpoints from its sites alone; nil when there is no site (DefaultSite
// has no binding).
func planConfig(cfg *Config) (*router, error) {
	sites := make([]*siteRuntime, len(cfg.Sites))
	for i := range cfg.Sites {
		sites[i] = &siteRuntime{config: &cfg.Sites[i]}
	}
	if len(sites) == 0 {
		return nil, nil
	}
	return planEndpoints(cfg, sites)
}
