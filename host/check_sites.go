package host

import (
	"crypto/tls"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// checkSite is what Check needs of the first site to give modules a host.
type checkSite struct {
	name, root string
	id         uint32
}

// firstSite reads the first <site> as ParseConfig defaults it.
func (c *checker) firstSite() checkSite {
	s := checkSite{name: "Default Web Site", id: 1, root: c.resolve(".")}
	for _, sites := range c.sections("system.applicationHost") {
		for _, site := range childElements(sites, "sites") {
			for _, el := range childElements(site, "site") {
				if v, _ := configAttribute(el, "name"); v != "" {
					s.name = v
				}
				if v, _ := configAttribute(el, "id"); v != "" {
					if n, err := strconv.ParseUint(v, 10, 32); err == nil {
						s.id = uint32(n)
					}
				}
				if vdir := rootDirectory(el); vdir != nil {
					if pp, _ := configAttribute(vdir, "physicalPath"); pp != "" {
						s.root = c.resolve(ExpandEnv(pp, configEnvLookup))
					}
				}
				if c.opts.Root != "" {
					s.root = c.resolve(c.opts.Root)
				}
				return s
			}
		}
	}
	return s
}

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

// boundAt is a binding already seen, to find the ones that clash with it.
type boundAt struct {
	protocol, address, port, host string
	info                          string // bindingInformation as written
	el, siteEl                    *ConfigElement
	site                          string
}

// sites checks every site's virtual directories and bindings.
func (c *checker) sites() {
	first := true
	var bound []boundAt
	for _, sec := range c.sections("system.applicationHost") {
		for _, sites := range childElements(sec, "sites") {
			for _, site := range childElements(sites, "site") {
				name, _ := configAttribute(site, "name")
				c.physicalPaths(site, name, first)
				first = false
				for _, bs := range childElements(site, "bindings") {
					for _, b := range childElements(bs, "binding") {
						bound = c.binding(b, site, name, bound)
					}
				}
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

// binding checks one <binding> against the ones seen before it, and returns them with it.
func (c *checker) binding(el, siteEl *ConfigElement, site string, bound []boundAt) []boundAt {
	protocol, _ := configAttribute(el, "protocol")
	info, _ := configAttribute(el, "bindingInformation")
	certFile, hasCert := configAttribute(el, "certificateFile")
	keyFile, hasKey := configAttribute(el, "certificateKeyFile")
	proto := strings.ToLower(protocol)
	if proto != "http" && proto != "https" {
		c.add(SeverityWarning, el, "site %q: binding protocol %q is not served: iishost serves http and https", site, protocol)
		return bound
	}
	addr, port, host, ok := splitBindingInformation(info)
	if !ok {
		c.add(SeverityError, el, "site %q: bindingInformation %q: want IP:PORT:HOST with a port from 1 to 65535", site, info)
		return bound
	}
	switch ip := net.ParseIP(addr); {
	case addr == "" || addr == "*":
		addr = "*"
	case ip == nil:
		c.add(SeverityError, el, "site %q: bindingInformation %q: %q is not an IP address or *", site, info, addr)
		return bound
	default:
		addr = ip.String()
	}
	if proto == "https" {
		c.certificate(el, site, certFile, keyFile, hasCert, hasKey)
	} else if hasCert || hasKey {
		c.add(SeverityWarning, el, "site %q: http binding %q has certificate attributes, which only https bindings use", site, info)
	}
	b := boundAt{protocol: proto, address: addr, port: port, host: strings.ToLower(host), info: info, el: el, siteEl: siteEl, site: site}
	for _, o := range bound {
		if o.address != b.address || o.port != b.port {
			continue
		}
		at := c.cfg.positions[o.el]
		switch {
		case o.protocol != b.protocol:
			c.add(SeverityError, el, "site %q: %s binding %q shares %s:%s with the %s binding of site %q at %d:%d: one port serves one protocol",
				site, proto, info, addr, port, o.protocol, o.site, at.line, at.col)
			return bound
		case o.host == b.host && c.typed && o.siteEl == siteEl && o.protocol == b.protocol && strings.EqualFold(o.info, info):
			return bound // the schema's duplicate entry, reported by the typing
		case o.host == b.host:
			c.add(SeverityError, el, "site %q: binding %s %q is already bound by site %q at %d:%d",
				site, proto, info, o.site, at.line, at.col)
			return bound
		}
	}
	return append(bound, b)
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
