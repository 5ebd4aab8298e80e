package host

import (
	"fmt"
	"slices"
	"strings"
)

// scopedSection is a system.webServer section compiled per URL for one site, once, at startup:
// the root level's value, and one per <location> of the site that has the section, each
// merged over the levels above it.
type scopedSection[T any] struct {
	root   T
	scopes []urlScope[T] // deepest first
}

type urlScope[T any] struct {
	segments []string // of the URL path the location covers; none for the whole site
	value    T
}

// forPath returns the value for a canonical URL path: the deepest location that covers it, or
// the root level's. Segments compare case-insensitively, as IIS matches location paths, and on
// their names (segmentName), so that "/app./x" cannot step out of the rules for "/app".
func (s *scopedSection[T]) forPath(path string) T {
	for _, sc := range s.scopes {
		if segmentsAt(strings.TrimLeft(path, "/"), sc.segments) {
			return sc.value
		}
	}
	return s.root
}

// sectionSpec says how to find and compile one section.
type sectionSpec[T any] struct {
	name string // for errors: "<requestFiltering>"
	// find returns the section's elements inside one <system.webServer>.
	find func(webServer *ConfigElement) []*ConfigElement
	// rootDefault stands in for the root level when the document has none of the section; nil
	// for none.
	rootDefault func() *ConfigElement
	// compile merges the elements that apply to a URL, outermost first.
	compile func(chain []*ConfigElement) (T, error)
}

// compileScoped compiles a section for one site from c.Document. The root level is the section
// under <configuration> and under <location path=""> (or "."); locations for other sites are
// not this site's. IIS refuses a section defined twice for one path.
func compileScoped[T any](c *Config, siteName string, spec sectionSpec[T]) (*scopedSection[T], error) {
	var root []*ConfigElement
	byURL := map[string][]*ConfigElement{}
	var urls []string
	inWebServer := func(parent *ConfigElement) []*ConfigElement {
		var out []*ConfigElement
		for _, ws := range parent.Children {
			if ws.Name == "system.webServer" {
				out = append(out, spec.find(ws)...)
			}
		}
		return out
	}
	if c.Document != nil {
		root = inWebServer(c.Document)
		for _, el := range c.Document.Children {
			if el.Name != "location" {
				continue
			}
			path, _ := configAttribute(el, "path")
			sections := inWebServer(el)
			if path == "" || path == "." {
				root = append(root, sections...)
				continue
			}
			site, rest, _ := strings.Cut(strings.Trim(path, "/"), "/")
			if !strings.EqualFold(site, siteName) || len(sections) == 0 {
				continue
			}
			url := strings.ToLower("/" + strings.Trim(rest, "/"))
			if _, seen := byURL[url]; !seen {
				urls = append(urls, url)
			}
			byURL[url] = append(byURL[url], sections...)
		}
	}
	for _, url := range append([]string{""}, urls...) {
		chain := root
		if url != "" {
			chain = byURL[url]
		}
		if len(chain) > 1 {
			first, second := c.positions[chain[0]], c.positions[chain[1]]
			return nil, &configError{source: c.Source, at: second,
				err: fmt.Errorf("duplicate %s section for the same path (first at %d:%d)", spec.name, first.line, first.col)}
		}
	}
	if len(root) == 0 && spec.rootDefault != nil {
		root = []*ConfigElement{spec.rootDefault()}
	}
	s := &scopedSection[T]{}
	var err error
	if s.root, err = spec.compile(root); err != nil {
		return nil, err
	}
	depth := func(url string) int { return strings.Count(strings.TrimSuffix(url, "/"), "/") }
	slices.SortStableFunc(urls, func(a, b string) int { return depth(a) - depth(b) })
	for _, url := range urls {
		chain := slices.Clone(root)
		for _, above := range urls { // least specific first, this one last
			if urlUnder(url, above) {
				chain = append(chain, byURL[above]...)
			}
		}
		v, err := spec.compile(chain)
		if err != nil {
			return nil, err
		}
		s.scopes = append(s.scopes, urlScope[T]{segments: strings.FieldsFunc(url, func(r rune) bool { return r == '/' }), value: v})
	}
	slices.Reverse(s.scopes)
	return s, nil
}

// grandchildElements returns the children named name of el's children named group, in
// document order: a section inside its section group.
func grandchildElements(el *ConfigElement, group, name string) []*ConfigElement {
	var out []*ConfigElement
	for _, g := range childElements(el, group) {
		out = append(out, childElements(g, name)...)
	}
	return out
}
