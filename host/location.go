package host

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

// Location is the request pipeline a <location path="Site/url"> puts in force for the URLs under
// it: the modules that run and the handler mappings, after inheriting the levels above it (the
// root, then each shorter path of the same site) and applying its own <add>, <remove> and
// <clear>, as IIS computes them for a URL.
type Location struct {
	// Path is the URL path the location covers, "/" for the whole site; a request's path is
	// under it when it is the same or continues with '/', compared case-insensitively.
	Path string
	// Modules are the names of the modules enabled here, in order; managed ones are left out.
	Modules []string
	// Handlers are the handler mappings in force here; HandlersConfigured says some level up to
	// here has a <handlers> section (see Config.HandlersConfigured).
	Handlers           []Handler `json:",omitempty"`
	HandlersConfigured bool      `json:",omitempty"`

	enabledAt map[string]configPos
}

// configLocation gathers the <location> blocks of one path while parsing.
type configLocation struct {
	path     string // as first written
	at       configPos
	sections map[string]configPos
	modules  []listOp[configEntry]
	handlers []listOp[Handler]
}

// location reads a <location>: path "" or "." is the root level itself; any other path's
// <modules> and <handlers> are kept to be applied per URL (resolveLocations). Other sections in
// it reach modules through the admin manager only.
func (p *configParser) location(el xml.StartElement, at configPos) error {
	path := configAttr(el, "path")
	if path == "" || path == "." {
		return p.children(func(el xml.StartElement, at configPos) error {
			if el.Name.Local == "system.webServer" {
				return p.children(p.webServer)
			}
			return p.skip()
		})
	}
	key := strings.ToLower(strings.Trim(path, "/"))
	loc := p.locations[key]
	if loc == nil {
		loc = &configLocation{path: path, at: at, sections: map[string]configPos{}}
		p.locations[key] = loc
		p.locationOrder = append(p.locationOrder, key)
	}
	section := func(name string, at configPos) error {
		if first, ok := loc.sections[name]; ok {
			return p.errorf(at, "duplicate <%s> section in <location path=%q> (first at %d:%d)", name, path, first.line, first.col)
		}
		loc.sections[name] = at
		return nil
	}
	return p.children(func(el xml.StartElement, at configPos) error {
		if el.Name.Local != "system.webServer" {
			return p.skip()
		}
		return p.children(func(el xml.StartElement, at configPos) error {
			switch el.Name.Local {
			case "modules":
				if err := section("modules", at); err != nil {
					return err
				}
				return p.children(func(el xml.StartElement, at configPos) error {
					op, err := p.collectionOp("modules", el, at)
					if op != nil {
						loc.modules = append(loc.modules, op)
					}
					return err
				})
			case "handlers":
				if err := section("handlers", at); err != nil {
					return err
				}
				return p.children(func(el xml.StartElement, at configPos) error {
					op, err := p.handlerOp(el, at)
					if op != nil {
						loc.handlers = append(loc.handlers, op)
					}
					return err
				})
			}
			return p.skip()
		})
	})
}

// locationLevel is one URL's <location> blocks, ready to apply (see Config.Locations).
type locationLevel struct {
	site        string // the site's name as configured
	url         string
	modules     []listOp[configEntry]
	handlers    []listOp[Handler]
	hasHandlers bool
}

// siteLocations keeps the <location> blocks that have <modules> or <handlers>, least specific
// first. Blocks that name no configured site go to SkippedLocations.
func (p *configParser) siteLocations(sites []Site) []locationLevel {
	var out []locationLevel
	for _, key := range p.locationOrder {
		loc := p.locations[key]
		name, rest, _ := strings.Cut(strings.Trim(loc.path, "/"), "/")
		i := configFind(sites, func(s Site) string { return s.Name }, name)
		if i < 0 {
			p.skipped = append(p.skipped, fmt.Sprintf("%s (%d:%d)", loc.path, loc.at.line, loc.at.col))
			continue
		}
		if len(loc.sections) == 0 {
			continue
		}
		_, has := loc.sections["handlers"]
		out = append(out, locationLevel{site: sites[i].Name, url: "/" + strings.Trim(rest, "/"), modules: loc.modules, handlers: loc.handlers, hasHandlers: has})
	}
	depth := func(url string) int { return strings.Count(strings.TrimSuffix(url, "/"), "/") }
	slices.SortStableFunc(out, func(a, b locationLevel) int { return depth(a.url) - depth(b.url) })
	return out
}

// Locations applies a site's <location> blocks that have <modules> or <handlers>, least
// specific first, each on top of the nearest level above it: the root level as it stands now
// (Modules, Handlers, with modules added by AddModule), or a shorter location of the same site.
// An error is a duplicate <add> in a location.
func (c *Config) Locations(site string) ([]Location, error) {
	type lists struct {
		modules            []configEntry
		handlers           []Handler
		handlersConfigured bool
	}
	root := lists{handlers: c.Handlers, handlersConfigured: c.HandlersConfigured}
	for _, name := range c.Modules {
		root.modules = append(root.modules, configEntry{spec: ModuleSpec{Name: name}, at: c.enabledAt[strings.ToLower(name)]})
	}
	var out []Location
	var done []lists
	for _, level := range c.locations {
		if !strings.EqualFold(level.site, site) {
			continue
		}
		cur := root
		for i, l := range out { // the deepest level above this one; out is least specific first
			if urlUnder(level.url, l.Path) {
				cur = done[i]
			}
		}
		var err error
		for _, op := range level.modules {
			if cur.modules, err = op(cur.modules); err != nil {
				return nil, err
			}
		}
		for _, op := range level.handlers {
			if cur.handlers, err = op(cur.handlers); err != nil {
				return nil, err
			}
		}
		cur.handlersConfigured = cur.handlersConfigured || level.hasHandlers
		l := Location{Path: level.url, Handlers: cur.handlers, HandlersConfigured: cur.handlersConfigured, enabledAt: map[string]configPos{}}
		for _, e := range cur.modules {
			if !e.managed {
				l.Modules = append(l.Modules, e.spec.Name)
				l.enabledAt[strings.ToLower(e.spec.Name)] = e.at
			}
		}
		out = append(out, l)
		done = append(done, cur)
	}
	return out, nil
}

// urlUnder says whether url is base or below it, case-insensitively.
func urlUnder(url, base string) bool {
	if base == "/" {
		return true
	}
	return len(url) >= len(base) && strings.EqualFold(url[:len(base)], base) && (len(url) == len(base) || url[len(base)] == '/')
}
