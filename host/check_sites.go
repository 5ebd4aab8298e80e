package host

import (
	"crypto/tls"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// rootDirectory returns a site's "/" virtual directory of its "/" application, nil if none.
func rootDirectory(site *ConfigElement) *ConfigElement {
	for _, app := range childElements(site, "application") {
		if p, _ := configAttribute(app, "path"); p == "/" {
			for _, vdir := range childElements(app, "virtualDirectory") {
				if p, _ := configAttribute(vdir, "path"); p == "/" {
					return vdir
				}
			}
		}
	}
	return nil
}

// resolve makes a path relative to the configuration's directory absolute, as LoadConfig does;
// "" stays "".
func (c *checker) resolve(p string) string {
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(configResolve(c.opts.Dir, p)); err == nil {
		return abs
	}
	return configResolve(c.opts.Dir, p)
}

// directoryProblem says why path is not a readable directory, "" when it is one.
func (c *checker) directoryProblem(path string) string {
	info, err := os.Stat(path)
	if err != nil {
		return unwrapPathError(err).Error()
	}
	if !info.IsDir() {
		return "not a directory"
	}
	f, err := os.Open(path)
	if err != nil {
		return unwrapPathError(err).Error()
	}
	f.Close()
	return ""
}

// sites checks every site's virtual directories and bindings, then plans the endpoints as New
// does, which refuses bindings that clash.
func (c *checker) sites() {
	first := true
	for _, sec := range c.sections("system.applicationHost") {
		for _, sites := range childElements(sec, "sites") {
			for _, site := range childElements(sites, "site") {
				name, _ := configAttribute(site, "name")
				c.physicalPaths(site, name, first)
				first = false
				for _, bs := range childElements(site, "bindings") {
					for _, b := range childElements(bs, "binding") {
						c.binding(b, name)
					}
				}
			}
		}
	}
	var runtimes []*siteRuntime
	for i := range c.cfg.Sites {
		runtimes = append(runtimes, &siteRuntime{index: i, config: &c.cfg.Sites[i]})
	}
	if len(runtimes) > 0 {
		_, err := planEndpoints(c.cfg, runtimes)
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range joined.Unwrap() {
				c.addErrorOnce(e)
			}
		}
		// What New compiles per site: request filtering and sslFlags, each level merged.
		for _, site := range c.cfg.Sites {
			if _, err := newRequestFilters(c.cfg, site.Name); err != nil {
				c.addErrorOnce(err)
			}
			if _, err := siteSSLScopes(c.cfg, site.Name); err != nil {
				c.addErrorOnce(err)
			}
			if _, err := newSiteTracing(c.cfg, &site, nil); err != nil {
				c.addErrorOnce(err)
			}
		}
	}
}

// physicalPaths checks each virtual directory's physicalPath is a directory; root says -root
// replaces the root one.
func (c *checker) physicalPaths(site *ConfigElement, name string, root bool) {
	rootDir := rootDirectory(site)
	for _, app := range childElements(site, "application") {
		appPath, _ := configAttribute(app, "path")
		for _, vdir := range childElements(app, "virtualDirectory") {
			written, _ := configAttribute(vdir, "physicalPath")
			if root && vdir == rootDir && c.opts.Root != "" {
				written = c.opts.Root
			}
			if written == "" {
				continue // the schema warns when it is missing; the root one then defaults to "."
			}
			path := c.resolve(ExpandEnv(written, configEnvLookup))
			if msg := c.directoryProblem(path); msg != "" {
				vpath, _ := configAttribute(vdir, "path")
				c.add(SeverityError, vdir, "site %q application %q virtual directory %q: physicalPath %s: %s",
					name, appPath, vpath, path, msg)
			}
		}
	}
}

// binding checks one <binding>'s protocol, address and certificate files.
func (c *checker) binding(el *ConfigElement, site string) {
	protocol, _ := configAttribute(el, "protocol")
	info, _ := configAttribute(el, "bindingInformation")
	certFile, hasCert := configAttribute(el, "certificateFile")
	keyFile, hasKey := configAttribute(el, "certificateKeyFile")
	proto := strings.ToLower(protocol)
	if proto != "http" && proto != "https" {
		c.add(SeverityWarning, el, "site %q: binding protocol %q is not served: iishost serves http and https", site, protocol)
		return
	}
	if proto == "https" {
		c.certificate(el, site, certFile, keyFile, hasCert, hasKey)
	} else if hasCert || hasKey {
		c.add(SeverityWarning, el, "site %q: http binding %q has certificate attributes, which only https bindings use", site, info)
	}
}

// certificate checks an https binding names a readable, matching PEM certificate and key.
func (c *checker) certificate(el *ConfigElement, site, certFile, keyFile string, hasCert, hasKey bool) {
	if !hasCert || certFile == "" || !hasKey || keyFile == "" {
		c.add(SeverityError, el, "site %q: https binding needs certificateFile and certificateKeyFile (PEM files)", site)
		return
	}
	certPath := c.resolve(ExpandEnv(certFile, configEnvLookup))
	keyPath := c.resolve(ExpandEnv(keyFile, configEnvLookup))
	if _, err := tls.LoadX509KeyPair(certPath, keyPath); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = errors.New(pe.Path + ": " + pe.Err.Error())
		}
		c.add(SeverityError, el, "site %q: https binding certificate: %v", site, err)
	}
}
