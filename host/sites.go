package host

import (
	"encoding/xml"
	"fmt"
	"math"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Site is one <site> of <system.applicationHost><sites>: its applications, their virtual
// directories, its bindings and its limits.
type Site struct {
	Name string
	ID   uint32
	// Applications are the site's <application>s in document order; the "/" one is required.
	Applications []Application
	Bindings     []Binding
	// Limits are the site's <limits> over <siteDefaults><limits>, defaults filled in.
	Limits SiteLimits
	// LogFile is the site's access log (logfile_config.go); its zero value writes none.
	LogFile LogFile `json:",omitzero"`

	limits  siteLimitsText // as written, before siteDefaults are applied
	logFile *logFileText   // likewise
	at      configPos
}

// Application is one <application>: a site URL path and its virtual directories.
type Application struct {
	Path               string // "/" or "/app", as written with a leading '/'
	VirtualDirectories []VirtualDirectory
}

// VirtualDirectory maps a URL path of its application to a folder.
type VirtualDirectory struct {
	// Path is relative to the application: "/" is the application's root.
	Path string
	// PhysicalPath is the folder, %VAR% references expanded; LoadConfig makes a relative one
	// absolute against the configuration file's directory.
	PhysicalPath string
	// FollowSymlinksOutsideRoot lets the static file handler serve a file whose symbolic
	// links lead out of PhysicalPath (iishost's own attribute); by default such files are not
	// found.
	FollowSymlinksOutsideRoot bool
}

// Binding is one <binding protocol="http" bindingInformation="IP:PORT:HOST"/>.
//
// Address, Port and Host are split out for http and https bindings only; other protocols (net.tcp,
// net.pipe, ...) use other formats, and keep only Protocol and Information.
type Binding struct {
	Protocol    string // as written, e.g. "http"
	Address     string // IP address without IPv6 brackets, "*" for all interfaces, or ""
	Port        string // decimal, 1 to 65535
	Host        string // host name the binding answers to; "" for any
	Information string // bindingInformation as written
	// CertificateFile and CertificateKeyFile are iishost's own attributes of an https binding:
	// PEM files holding the certificate chain and its private key; LoadConfig resolves them
	// against the configuration file's directory.
	CertificateFile    string `json:",omitempty"`
	CertificateKeyFile string `json:",omitempty"`

	at configPos
}

// SiteLimits are a site's <limits> (or <siteDefaults><limits>).
type SiteLimits struct {
	// ConnectionTimeout closes an idle connection and fails a body read or response write that
	// makes no progress for this long. 0 (not configured) means the server's
	// (Options.Limits.ConnectionTimeout: IIS's 2 minutes unless set).
	ConnectionTimeout time.Duration
	// MaxConnections caps the site's open connections; past it a request is answered 503.
	// 0 means no cap (IIS writes 4294967295).
	MaxConnections uint32
	// MaxBandwidth caps the bytes per second the site sends, across its connections; 0 means
	// no cap (IIS writes 4294967295).
	MaxBandwidth uint32
	// MaxURLSegments bounds the path segments of a request (404.20 past it). IIS's default: 32.
	MaxURLSegments uint32
}

// siteLimitsText is a <limits> element's attributes as written; "" when absent.
type siteLimitsText struct {
	connectionTimeout, maxConnections, maxBandwidth, maxURLSegments string
	at                                                              configPos
}

// defaultSiteLimits are IIS's out-of-the-box site limits.
var defaultSiteLimits = SiteLimits{MaxURLSegments: 32}

// DefaultSite is the site a configuration without <sites> gets: "Default Web Site", id 1, with
// "/" mapped to physicalPath.
func DefaultSite(physicalPath string) Site {
	return Site{
		Name: "Default Web Site", ID: 1, Limits: defaultSiteLimits,
		Applications: []Application{{Path: "/", VirtualDirectories: []VirtualDirectory{{Path: "/", PhysicalPath: physicalPath}}}},
	}
}

// SetRoot points the first site's root ("/" of its "/" application) at physicalPath, as the
// -root flag does; a configuration without sites gets DefaultSite(physicalPath).
func (c *Config) SetRoot(physicalPath string) {
	if len(c.Sites) == 0 {
		c.Sites = []Site{DefaultSite(physicalPath)}
		return
	}
	if root := c.Sites[0].Root(); root != nil {
		root.PhysicalPath = physicalPath
	}
}

// Root is the "/" virtual directory of the site's "/" application; nil when it has none.
func (s *Site) Root() *VirtualDirectory {
	for i := range s.Applications {
		if s.Applications[i].Path == "/" {
			return s.Applications[i].Root()
		}
	}
	return nil
}

// Root is the application's "/" virtual directory; nil when it has none.
func (a *Application) Root() *VirtualDirectory {
	for i := range a.VirtualDirectories {
		if a.VirtualDirectories[i].Path == "/" {
			return &a.VirtualDirectories[i]
		}
	}
	return nil
}

// SiteURL is a virtual directory's URL path within its site: "/app" + "/images".
func (a *Application) SiteURL(v *VirtualDirectory) string {
	if v.Path == "/" {
		return a.Path
	}
	return strings.TrimSuffix(a.Path, "/") + v.Path
}

// resolve makes relative physical paths, certificate files and the log directory absolute
// against dir.
func (s *Site) resolve(dir string) {
	for i := range s.Applications {
		for j := range s.Applications[i].VirtualDirectories {
			v := &s.Applications[i].VirtualDirectories[j]
			v.PhysicalPath = configResolve(dir, v.PhysicalPath)
		}
	}
	s.LogFile.Directory = configResolve(dir, s.LogFile.Directory)
	for i := range s.Bindings {
		s.Bindings[i].CertificateFile = configResolve(dir, s.Bindings[i].CertificateFile)
		s.Bindings[i].CertificateKeyFile = configResolve(dir, s.Bindings[i].CertificateKeyFile)
	}
}

// over returns the limits as written, each attribute that is absent taken from base; the text
// was checked when it was read.
func (t siteLimitsText) over(base SiteLimits) SiteLimits {
	out := base
	if t.connectionTimeout != "" {
		out.ConnectionTimeout, _ = TimeSpan(t.connectionTimeout)
	}
	unlimited := func(v string, field *uint32) {
		if v != "" {
			n, _ := strconv.ParseUint(v, 10, 32)
			if n == 4294967295 {
				n = 0
			}
			*field = uint32(n)
		}
	}
	unlimited(t.maxConnections, &out.MaxConnections)
	unlimited(t.maxBandwidth, &out.MaxBandwidth)
	if t.maxURLSegments != "" {
		n, _ := strconv.ParseUint(t.maxURLSegments, 10, 32)
		out.MaxURLSegments = uint32(n)
	}
	return out
}

// TimeSpan reads IIS's timeSpan form ([d.]hh:mm:ss[.fraction]) as a duration.
func TimeSpan(s string) (time.Duration, error) {
	ticks, err := parseTimeSpan(s, "")
	if err != nil || ticks > math.MaxInt64/100 {
		return 0, fmt.Errorf("%q is not a time span ([d.]hh:mm:ss)", s)
	}
	return time.Duration(ticks * 100), nil
}

func (p *configParser) applicationHost(el xml.StartElement, at configPos) error {
	if el.Name.Local != "sites" {
		return p.skip()
	}
	if err := p.section("sites", at); err != nil {
		return err
	}
	return p.children(func(el xml.StartElement, at configPos) error {
		switch el.Name.Local {
		case "site":
			return p.siteElement(el, at)
		case "siteDefaults":
			return p.children(func(el xml.StartElement, at configPos) error {
				switch el.Name.Local {
				case "limits":
					t, err := p.limits(el, at)
					if err == nil {
						p.defaults = t.over(defaultSiteLimits)
					}
					return err
				case "logFile":
					var err error
					p.logDefaults, err = p.logFile(el, at)
					return err
				}
				return p.skip()
			})
		}
		return p.skip() // applicationDefaults, virtualDirectoryDefaults
	})
}

func (p *configParser) siteElement(el xml.StartElement, at configPos) error {
	site := Site{Name: configAttr(el, "name"), at: at}
	if site.Name == "" {
		return p.errorf(at, "<site> has no name")
	}
	id, ok := configAttrOK(el, "id")
	if !ok {
		return p.errorf(at, "<site name=%q> has no id", site.Name)
	}
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil || n == 0 {
		return p.errorf(at, "<site name=%q> has id %q: want a number from 1 to 4294967295", site.Name, id)
	}
	site.ID = uint32(n)
	for _, other := range p.sites {
		switch {
		case strings.EqualFold(other.Name, site.Name):
			return p.errorf(at, "duplicate <site name=%q> (first at %d:%d)", site.Name, other.at.line, other.at.col)
		case other.ID == site.ID:
			return p.errorf(at, "<site name=%q> has id %d, which <site name=%q> (%d:%d) has already", site.Name, site.ID, other.Name, other.at.line, other.at.col)
		}
	}
	err = p.children(func(el xml.StartElement, at configPos) error {
		switch el.Name.Local {
		case "application":
			return p.application(&site, el, at)
		case "bindings":
			return p.children(func(el xml.StartElement, at configPos) error { return p.binding(&site, el, at) })
		case "limits":
			t, err := p.limits(el, at)
			site.limits = t
			return err
		case "logFile":
			var err error
			site.logFile, err = p.logFile(el, at)
			return err
		}
		return p.skip()
	})
	if err != nil {
		return err
	}
	if site.Root() == nil {
		return p.errorf(at, "<site name=%q> has no <application path=\"/\"> with a <virtualDirectory path=\"/\">", site.Name)
	}
	p.sites = append(p.sites, site)
	return nil
}

// limits reads and checks a <limits> element's attributes.
func (p *configParser) limits(el xml.StartElement, at configPos) (siteLimitsText, error) {
	t := siteLimitsText{at: at}
	t.connectionTimeout = configAttr(el, "connectionTimeout")
	if t.connectionTimeout != "" {
		if _, err := TimeSpan(t.connectionTimeout); err != nil {
			return t, p.errorf(at, "connectionTimeout %v", err)
		}
	}
	for _, a := range []struct {
		name string
		v    *string
	}{{"maxConnections", &t.maxConnections}, {"maxBandwidth", &t.maxBandwidth}, {"maxUrlSegments", &t.maxURLSegments}} {
		*a.v = configAttr(el, a.name)
		if *a.v == "" {
			continue
		}
		if _, err := strconv.ParseUint(*a.v, 10, 32); err != nil {
			return t, p.errorf(at, "%s %q is not a number from 0 to 4294967295", a.name, *a.v)
		}
	}
	return t, p.skip()
}

// cleanURLPath checks an application or virtual directory path: it starts with '/', and
// has no empty, "." or ".." segment once its trailing '/' is dropped.
func cleanURLPath(v string) (string, bool) {
	if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, "\\?#%") {
		return "", false
	}
	if v == "/" {
		return v, true
	}
	v = strings.TrimSuffix(v, "/")
	if path.Clean(v) != v {
		return "", false
	}
	return v, true
}

func (p *configParser) application(site *Site, el xml.StartElement, at configPos) error {
	appPath, ok := cleanURLPath(configAttr(el, "path"))
	if !ok {
		return p.errorf(at, "<application path=%q> in <site name=%q>: want a URL path such as / or /app", configAttr(el, "path"), site.Name)
	}
	for _, a := range site.Applications {
		if strings.EqualFold(a.Path, appPath) {
			return p.errorf(at, "duplicate <application path=%q> in <site name=%q>", appPath, site.Name)
		}
	}
	app := Application{Path: appPath}
	err := p.children(func(el xml.StartElement, at configPos) error {
		if el.Name.Local != "virtualDirectory" {
			return p.skip()
		}
		dirPath, ok := cleanURLPath(configAttr(el, "path"))
		if !ok {
			return p.errorf(at, "<virtualDirectory path=%q> in <application path=%q>: want a URL path such as / or /images", configAttr(el, "path"), appPath)
		}
		for _, d := range app.VirtualDirectories {
			if strings.EqualFold(d.Path, dirPath) {
				return p.errorf(at, "duplicate <virtualDirectory path=%q> in <application path=%q>", dirPath, appPath)
			}
		}
		pp := configAttr(el, "physicalPath")
		if pp == "" {
			return p.errorf(at, "<virtualDirectory path=%q> in <application path=%q> of <site name=%q> has no physicalPath", dirPath, appPath, site.Name)
		}
		dir := VirtualDirectory{Path: dirPath, PhysicalPath: filepath.FromSlash(ExpandEnv(pp, p.lookup))}
		if v := configAttr(el, "followSymlinksOutsideRoot"); v != "" {
			follow, err := strconv.ParseBool(v)
			if err != nil {
				return p.errorf(at, "followSymlinksOutsideRoot=%q is not true or false", v)
			}
			dir.FollowSymlinksOutsideRoot = follow
		}
		app.VirtualDirectories = append(app.VirtualDirectories, dir)
		return p.skip()
	})
	if err != nil {
		return err
	}
	if app.Root() == nil {
		return p.errorf(at, "<application path=%q> of <site name=%q> has no <virtualDirectory path=\"/\">", appPath, site.Name)
	}
	site.Applications = append(site.Applications, app)
	return nil
}

func (p *configParser) binding(site *Site, el xml.StartElement, at configPos) error {
	switch el.Name.Local {
	case "clear":
		site.Bindings = nil
	case "binding":
		b := Binding{Protocol: configAttr(el, "protocol"), Information: configAttr(el, "bindingInformation"),
			CertificateFile:    ExpandEnv(configAttr(el, "certificateFile"), p.lookup),
			CertificateKeyFile: ExpandEnv(configAttr(el, "certificateKeyFile"), p.lookup)}
		if b.Protocol == "" {
			return p.errorf(at, "<binding bindingInformation=%q> has no protocol", b.Information)
		}
		if b.web() {
			var ok bool
			b.Address, b.Port, b.Host, ok = splitBindingInformation(b.Information)
			if !ok {
				return p.errorf(at, "<binding protocol=%q bindingInformation=%q>: want IP:PORT:HOST with a port from 1 to 65535", b.Protocol, b.Information)
			}
		}
		b.at = at
		site.Bindings = append(site.Bindings, b)
	}
	return p.skip()
}

// web says whether iishost serves the binding: http or https.
func (b Binding) web() bool {
	return strings.EqualFold(b.Protocol, "http") || b.secure()
}

func (b Binding) secure() bool { return strings.EqualFold(b.Protocol, "https") }

// splitBindingInformation splits IIS's "IP:PORT:HOST", where an IPv6 address is bracketed.
func splitBindingInformation(s string) (addr, port, host string, ok bool) {
	rest := s
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 || !strings.HasPrefix(s[end+1:], ":") {
			return "", "", "", false
		}
		addr, rest = s[1:end], s[end+2:]
	} else if addr, rest, ok = strings.Cut(s, ":"); !ok {
		return "", "", "", false
	}
	if port, host, ok = strings.Cut(rest, ":"); !ok {
		return "", "", "", false
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return "", "", "", false
	}
	return addr, port, host, true
}
