package host

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/iishost/iishost/internal/cabi"
)

// siteRuntime is a site while serving: its configuration, its index on the C++ side, and the
// counters its limits need.
type siteRuntime struct {
	index  int
	config *Site
	route  cabi.Route
	// conns counts the open connections that have carried a request for the site
	// (Limits.MaxConnections); see connSites.
	conns     atomic.Int64
	bandwidth *bandwidth // nil: no cap
	sslScopes []sslScope // system.webServer/security/access sslFlags by URL, deepest first
	filters   *requestFilters
	tracing   *siteTracing // nil: no failed-request tracing
	access    *accessLog   // nil: the site writes no access log
}

// addSites gives the host every site with its applications and virtual directories, and plans
// the endpoints its bindings listen on. follow collects the virtual directory folders whose
// links may lead out (FollowSymlinksOutsideRoot).
func (s *Server) addSites(follow map[string]bool) error {
	if len(s.config.Sites) == 0 {
		s.config.Sites = []Site{DefaultSite(".")}
	}
	for i := range s.config.Sites {
		site := &s.config.Sites[i]
		index, err := s.host.AddSite(site.Name, site.ID)
		if err != nil {
			return &configError{source: s.config.Source, at: site.at, err: err}
		}
		filters, err := newRequestFilters(s.config, site.Name)
		if err != nil {
			return err
		}
		// Body limits are request filtering's, per location (filterRequest).
		rt := &siteRuntime{index: index, config: site, filters: filters, route: cabi.Route{Site: index}}
		rt.route.IOTimeout = site.Limits.ConnectionTimeout
		if rt.tracing, err = newSiteTracing(s.config, site, s.traces); err != nil {
			return err
		}
		if rt.sslScopes, err = siteSSLScopes(s.config, site.Name); err != nil {
			return err
		}
		rt.route.ClientCertAsked = rt.anySSLFlags().clientAuth() != tls.NoClientCert
		if site.Limits.MaxBandwidth > 0 {
			rt.bandwidth = newBandwidth(int64(site.Limits.MaxBandwidth))
		}
		if site.LogFile.Enabled {
			rt.access = newAccessLog(site, computerName(), s.logger)
		}
		// Applications first: a directory belongs to the application with the longest URL it
		// lies under.
		for j := range site.Applications {
			app := &site.Applications[j]
			root, err := siteFolder(s.config, site, app.Root())
			if err != nil {
				return err
			}
			if err := s.host.AddApplication(index, app.Path, root); err != nil {
				return &configError{source: s.config.Source, at: site.at, err: err}
			}
		}
		for j := range site.Applications {
			app := &site.Applications[j]
			for k := range app.VirtualDirectories {
				dir := &app.VirtualDirectories[k]
				folder, err := siteFolder(s.config, site, dir)
				if err != nil {
					return err
				}
				if err := s.host.AddVirtualDirectory(index, app.SiteURL(dir), folder); err != nil {
					return &configError{source: s.config.Source, at: site.at, err: err}
				}
				if info, err := os.Stat(folder); err != nil || !info.IsDir() {
					// IIS starts the site anyway; its URLs there answer 404 unless a module serves them.
					s.logger.Warn("virtual directory folder is missing", "site", site.Name, "path", app.SiteURL(dir),
						"physicalPath", folder, "config", s.config.Source)
				}
				if dir.FollowSymlinksOutsideRoot {
					follow[folder] = true
				}
			}
		}
		for _, b := range site.Bindings {
			if !b.web() {
				s.logger.Warn("binding not served: iishost serves http and https", "site", site.Name,
					"protocol", b.Protocol, "binding", b.Information, "config", s.config.Source, "line", b.at.line)
			}
		}
		s.sites = append(s.sites, rt)
	}
	routes, err := planEndpoints(s.config, s.sites)
	s.routes = routes
	if err != nil {
		return err
	}
	return s.prepareTLS()
}

// siteFolder is a virtual directory's folder, absolute.
func siteFolder(cfg *Config, site *Site, dir *VirtualDirectory) (string, error) {
	folder, err := filepath.Abs(dir.PhysicalPath)
	if err != nil {
		return "", &configError{source: cfg.Source, at: site.at, err: fmt.Errorf("site %q: physicalPath %q: %w", site.Name, dir.PhysicalPath, err)}
	}
	return folder, nil
}

// refusal is the answer IIS's own checks give a request routed to site, in IIS's order: the
// site's maxUrlSegments, sslFlags, then request filtering; nil lets it through.
func (s *Server) refusal(w http.ResponseWriter, r *http.Request, site *siteRuntime) *cabi.Refusal {
	if max := site.config.Limits.MaxURLSegments; max > 0 && urlSegments(r.URL.Path) > int(max) {
		return &cabi.Refusal{Status: http.StatusNotFound, Substatus: 20,
			Page: refusalPage(http.StatusNotFound, 20, "The URL has more segments than the site allows.")}
	}
	if f := s.sslRefused(r, site); f != nil {
		return f
	}
	return s.filterRequest(w, r, site)
}

// admit holds a request routed to site to the site's connection cap, as HTTP.sys does before
// IIS sees it; false means it has answered.
func (site *siteRuntime) admit(w http.ResponseWriter, r *http.Request) bool {
	if conns := connSitesOf(r); conns != nil && !conns.add(site) {
		w.Header().Set("Connection", "close")
		http.Error(w, "503 Service Unavailable: the site has as many connections as it allows", http.StatusServiceUnavailable)
		return false
	}
	return true
}

// urlSegments counts a canonical path's segments: "/a/b/" has two.
func urlSegments(p string) int {
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] != '/' && (i == 0 || p[i-1] == '/') {
			n++
		}
	}
	return n
}
