package host

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
)

// Handler is one <system.webServer><handlers><add> entry: which modules answer which requests.
//
// When a configuration has a <handlers> section, RQ_EXECUTE_REQUEST_HANDLER goes only to the
// modules of the first entry whose path and verb match the request, as in IIS; with no section
// every subscribed module runs, as if one "*" entry listed them all.
//
// # Notes
//
//   - Path is matched against the URL's last segment ("*", "*.ext", "name.ext", with '*' and '?'
//     wildcards, case-insensitively), or against the whole URL path when it contains '/'.
//   - Verb is "*" or a comma-separated list.
//   - ResourceType and AllowPathInfo are reported to modules (IScriptMapInfo) only: the file system
//     is not checked, and no path info is split off a URL before matching.
//   - An entry whose preCondition is not met here (classicMode, bitness32, runtimeVersion*,
//     managedHandler, or a name iishost does not know) is never matched.
type Handler struct {
	Name, Path, Verb string
	// Modules lists module names, comma-separated as written; default "ManagedPipelineHandler".
	Modules         string
	ScriptProcessor string `json:",omitempty"`
	Type            string `json:",omitempty"` // a managed handler's type
	PreCondition    string `json:",omitempty"`
	// RequireAccess is None (0), Read (1), Write (2), Script (3, the default) or Execute (4).
	RequireAccess uint32
	// ResourceType is File (0), Directory (1), Either (2) or Unspecified (3, the default).
	ResourceType        uint32
	ResponseBufferLimit uint32 // default 4194304
	AllowPathInfo       bool

	at configPos
}

var (
	requireAccessValues = map[string]uint32{"none": 0, "read": 1, "write": 2, "script": 3, "execute": 4}
	resourceTypeValues  = map[string]uint32{"file": 0, "directory": 1, "either": 2, "unspecified": 3}
)

func handlerName(h Handler) string { return h.Name }

// handlerOp reads one <add>, <remove> or <clear> of <handlers>.
func (p *configParser) handlerOp(el xml.StartElement, at configPos) (listOp[Handler], error) {
	var op listOp[Handler]
	switch el.Name.Local {
	case "add":
		h := Handler{Name: configAttr(el, "name"), Path: configAttr(el, "path"), Verb: configAttr(el, "verb"),
			Modules: "ManagedPipelineHandler", ScriptProcessor: ExpandEnv(configAttr(el, "scriptProcessor"), p.lookup),
			Type: configAttr(el, "type"), PreCondition: configAttr(el, "preCondition"),
			RequireAccess: 3, ResourceType: 3, ResponseBufferLimit: 4194304, at: at}
		for _, req := range [][2]string{{"name", h.Name}, {"path", h.Path}, {"verb", h.Verb}} {
			if req[1] == "" {
				return nil, p.errorf(at, "<add> in <handlers> has no %s", req[0])
			}
		}
		if v, ok := configAttrOK(el, "modules"); ok {
			h.Modules = v
		}
		var ok bool
		if v := configAttr(el, "requireAccess"); v != "" {
			if h.RequireAccess, ok = requireAccessValues[strings.ToLower(v)]; !ok {
				return nil, p.errorf(at, "handler %q: requireAccess %q is not None, Read, Write, Script or Execute", h.Name, v)
			}
		}
		if v := configAttr(el, "resourceType"); v != "" {
			if h.ResourceType, ok = resourceTypeValues[strings.ToLower(v)]; !ok {
				return nil, p.errorf(at, "handler %q: resourceType %q is not File, Directory, Either or Unspecified", h.Name, v)
			}
		}
		if v := configAttr(el, "responseBufferLimit"); v != "" {
			n, err := strconv.ParseUint(v, 10, 32)
			if err != nil {
				return nil, p.errorf(at, "handler %q: responseBufferLimit %q is not a byte count", h.Name, v)
			}
			h.ResponseBufferLimit = uint32(n)
		}
		if v := configAttr(el, "allowPathInfo"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, p.errorf(at, "handler %q: allowPathInfo %q is not true or false", h.Name, v)
			}
			h.AllowPathInfo = b
		}
		op = func(list []Handler) ([]Handler, error) {
			if i := configFind(list, handlerName, h.Name); i >= 0 {
				first := list[i].at
				return nil, p.errorf(at, "duplicate handler %q in <handlers> (first added at %d:%d)", h.Name, first.line, first.col)
			}
			return append(slices.Clip(list), h), nil
		}
	case "remove":
		name := configAttr(el, "name")
		if name == "" {
			return nil, p.errorf(at, "<remove> in <handlers> has no name")
		}
		op = removeOp(handlerName, name)
	case "clear":
		op = func([]Handler) ([]Handler, error) { return nil, nil }
	}
	return op, p.skip()
}

// staticFileHandler is the mapping IIS ships for everything no other entry takes: in force when
// the configuration has no <handlers>, so GetScriptMap describes it, as in IIS. Its modules are
// IIS's built-in ones by name; here every module subscribed to RQ_EXECUTE_REQUEST_HANDLER runs
// for it, then the static file fallback.
var staticFileHandler = Handler{Name: "StaticFile", Path: "*", Verb: "*",
	Modules:       "StaticFileModule,DefaultDocumentModule,DirectoryListingModule",
	RequireAccess: 1, ResourceType: 2, ResponseBufferLimit: 4194304}

// executeRequestHandlerBit is RQ_EXECUTE_REQUEST_HANDLER's bit in a registration's mask.
const executeRequestHandlerBit = 1 << 7

// installHandlers gives the C++ side the handler entries with the module indices each names.
func (s *Server) installHandlers(requestOrder []*LoadedModule) {
	if !s.config.HandlersConfigured {
		s.installStaticFileHandler(requestOrder)
		return
	}
	s.host.SetHandlers(s.handlerEntries(s.config.Handlers, s.config.Modules, ""))
}

// handlerEntries pairs handler entries with the indices of the modules they name, for the root
// level or a location's URL path. A name that is not a module enabled there with an RQ_EXECUTE_REQUEST_HANDLER subscription (IIS's built-in
// StaticFileModule, say) runs nothing; it is logged.
func (s *Server) handlerEntries(handlers []Handler, modules []string, location string) []cabi.Handler {
	byName := map[string]*LoadedModule{}
	for _, m := range s.modules {
		byName[strings.ToLower(m.Name)] = m
	}
	enabled := map[string]bool{}
	for _, name := range modules {
		enabled[strings.ToLower(name)] = true
	}
	out := make([]cabi.Handler, 0, len(handlers))
	for _, h := range handlers {
		ch := cabi.Handler{Name: h.Name, Path: h.Path, Verb: h.Verb, Modules: h.Modules, ScriptProcessor: h.ScriptProcessor,
			Type: h.Type, PreCondition: h.PreCondition, RequireAccess: h.RequireAccess, ResourceType: h.ResourceType,
			ResponseBufferLimit: h.ResponseBufferLimit, AllowPathInfo: h.AllowPathInfo}
		for _, name := range strings.Split(h.Modules, ",") {
			name = strings.TrimSpace(name)
			m := byName[strings.ToLower(name)]
			if m == nil || !enabled[strings.ToLower(name)] || m.Registration.RequestMask&executeRequestHandlerBit == 0 {
				if name != "" && h.Type == "" {
					args := []any{"handler", h.Name, "module", name}
					if location != "" {
						args = append(args, "location", location)
					}
					s.logger.Warn("handler names a module that does not handle requests here", append(args, "config", s.config.Source)...)
				}
				continue
			}
			ch.ModuleIndices = append(ch.ModuleIndices, int32(m.Index))
		}
		out = append(out, ch)
	}
	return out
}

// installStaticFileHandler installs staticFileHandler with every enabled module that handles
// requests.
func (s *Server) installStaticFileHandler(requestOrder []*LoadedModule) {
	h := staticFileHandler
	ch := cabi.Handler{Name: h.Name, Path: h.Path, Verb: h.Verb, Modules: h.Modules, RequireAccess: h.RequireAccess,
		ResourceType: h.ResourceType, ResponseBufferLimit: h.ResponseBufferLimit}
	for _, m := range requestOrder {
		if m.Registration.RequestMask&executeRequestHandlerBit != 0 {
			ch.ModuleIndices = append(ch.ModuleIndices, int32(m.Index))
		}
	}
	s.host.SetHandlers([]cabi.Handler{ch})
}
