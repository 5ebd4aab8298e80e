// IScriptMapInfo and handler mapping: the <handlers> entries, which one a request matches, and
// the modules RQ_EXECUTE_REQUEST_HANDLER goes to. IMapHandlerProvider (providers.cpp) lets
// modules choose during RQ_MAP_REQUEST_HANDLER; IHttpContext3::MapHandler asks for any URL.
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include <algorithm>

#include "bridge.h"
#include "forward.h"
#include "host_instance.h"
#include "http_site.h"
#include "module_registration.h"
#include "request_state.h"
#include "script_map_info.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

// ---------------------------------------------------------------- IScriptMapInfo

PCWSTR HostScriptMap::GetPath() const { return path.c_str(); }
PCSTR HostScriptMap::GetAllowedVerbs() const { return verbs.c_str(); }

static PCWSTR WithLength(const std::wstring &s, DWORD *length)
{
    if (length) {
        *length = static_cast<DWORD>(s.size());
    }
    return s.c_str();
}

PCWSTR HostScriptMap::GetModules(DWORD *length) const { return WithLength(modules, length); }
PCWSTR HostScriptMap::GetScriptProcessor(DWORD *length) const { return WithLength(scriptProcessor, length); }
PCWSTR HostScriptMap::GetManagedType(DWORD *length) const { return WithLength(managedType, length); }
BOOL HostScriptMap::GetAllowPathInfoForScriptMappings() const { return allowPathInfo; }
DWORD HostScriptMap::GetRequiredAccess() const { return requireAccess; }
DWORD HostScriptMap::GetResourceType() const { return resourceType; }
BOOL HostScriptMap::GetIsStarScriptMap() const { return path == L"*" ? TRUE : FALSE; }
DWORD HostScriptMap::GetResponseBufferLimit() const { return responseBufferLimit; }
PCWSTR HostScriptMap::GetName() const { return name.c_str(); }

// ---------------------------------------------------------------- preconditions

// EvaluatePrecondition answers an IIS precondition list ("integratedMode,bitness64") for this
// host: integrated pipeline, this process's bitness, no managed runtime. A name it does not
// know makes the list unsatisfied and sets *unknown.
bool EvaluatePrecondition(const std::string &list, bool *unknown)
{
    *unknown = false;
    bool ok = true;
    size_t pos = 0;
    while (pos <= list.size()) {
        size_t end = list.find(',', pos);
        if (end == std::string::npos) {
            end = list.size();
        }
        std::string token = list.substr(pos, end - pos);
        size_t a = token.find_first_not_of(" \t"), b = token.find_last_not_of(" \t");
        token = a == std::string::npos ? "" : token.substr(a, b - a + 1);
        pos = end + 1;
        if (token.empty()) {
            continue;
        }
        const char *t = token.c_str();
        if (strcasecmp(t, "integratedMode") == 0) {
            continue;
        }
        if (strcasecmp(t, "bitness64") == 0) {
            ok = ok && sizeof(void *) == 8;
        } else if (strcasecmp(t, "bitness32") == 0) {
            ok = ok && sizeof(void *) == 4;
        } else if (strcasecmp(t, "classicMode") == 0 || strncasecmp(t, "runtimeVersion", 14) == 0 ||
                   strcasecmp(t, "managedHandler") == 0) {
            ok = false; // no classic pipeline and no managed runtime here
        } else {
            *unknown = true;
            ok = false;
        }
    }
    return ok;
}

// ---------------------------------------------------------------- matching

// Glob matches a handler path pattern: '*' any run, '?' one character, ASCII case folded.
static bool Glob(const char *p, const char *pe, const char *s, const char *se)
{
    const char *star = nullptr, *resume = nullptr;
    while (s < se) {
        if (p < pe && (*p == '?' || tolower(static_cast<unsigned char>(*p)) == tolower(static_cast<unsigned char>(*s)))) {
            p++, s++;
        } else if (p < pe && *p == '*') {
            star = p++;
            resume = s;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (p < pe && *p == '*') {
        p++;
    }
    return p == pe;
}

static bool VerbMatches(const std::string &verbs, const char *verb, size_t len)
{
    size_t pos = 0;
    while (pos <= verbs.size()) {
        size_t end = verbs.find(',', pos);
        if (end == std::string::npos) {
            end = verbs.size();
        }
        size_t a = pos, b = end;
        while (a < b && verbs[a] == ' ') {
            a++;
        }
        while (b > a && verbs[b - 1] == ' ') {
            b--;
        }
        if ((b - a == 1 && verbs[a] == '*') || (b - a == len && strncasecmp(verbs.data() + a, verb, len) == 0)) {
            return true;
        }
        pos = end + 1;
    }
    return false;
}

HostScriptMap *MatchHandler(const HandlerList &handlers, const std::string &url, const char *verb, size_t verbLen, bool ignoreWildcards)
{
    size_t slash = url.rfind('/');
    std::string last = slash == std::string::npos ? url : url.substr(slash + 1);
    for (const std::unique_ptr<HostScriptMap> &h : handlers) {
        if (!h->usable || (ignoreWildcards && h->narrowPath == "*")) {
            continue;
        }
        const std::string &subject = h->narrowPath.find('/') != std::string::npos ? url : last;
        if (Glob(h->narrowPath.data(), h->narrowPath.data() + h->narrowPath.size(), subject.data(), subject.data() + subject.size()) &&
            VerbMatches(h->verbs, verb, verbLen)) {
            return h.get();
        }
    }
    return nullptr;
}

// The modules a script map names, by the host's module names (for one a module made itself).
static void ModulesOf(HostInstance *host, IScriptMapInfo *map, std::vector<uint8_t> *runs)
{
    runs->assign(host->modules.size(), 0);
    DWORD n = 0;
    PCWSTR list = map->GetModules(&n);
    if (!list) {
        return;
    }
    std::wstring names(list, n ? n : wcslen(list));
    size_t pos = 0;
    while (pos <= names.size()) {
        size_t end = names.find(L',', pos);
        if (end == std::wstring::npos) {
            end = names.size();
        }
        std::wstring name = names.substr(pos, end - pos);
        size_t a = name.find_first_not_of(L' '), b = name.find_last_not_of(L' ');
        name = a == std::wstring::npos ? L"" : name.substr(a, b - a + 1);
        for (ModuleEntry *m : host->modules) {
            if (!name.empty() && WideEqualFold(m->wideName.c_str(), name.c_str())) {
                (*runs)[m->index] = 1;
            }
        }
        pos = end + 1;
    }
}

// EnsureHandlerMapped chooses the request's handler once, after RQ_MAP_REQUEST_HANDLER: the one
// a module set with SetScriptMap, else the first configured entry matching the script name and
// verb.
void EnsureHandlerMapped(RequestState *st)
{
    if (st->mapping.handlerMapped) {
        return;
    }
    st->mapping.handlerMapped = true;
    if (!st->mapping.scriptMap && RequestHandlersConfigured(st)) {
        std::string url = st->mapping.scriptNameOverride ? NarrowString(st->mapping.scriptNameOverride) : std::string(st->in.path, st->in.pathLen);
        st->mapping.scriptMap = MatchHandler(RequestHandlers(st), url, st->in.method, st->in.methodLen, false);
    }
    for (const std::unique_ptr<HostScriptMap> &h : RequestHandlers(st)) {
        if (st->mapping.scriptMap == h.get()) {
            st->mapping.handlerRuns = &h->runs; // one of ours: its modules were resolved at startup
            return;
        }
    }
    if (st->mapping.scriptMap) { // a module's own object (no RTTI assumed): resolve its module names
        ModulesOf(st->host, st->mapping.scriptMap, &st->mapping.customRuns);
        st->mapping.handlerRuns = &st->mapping.customRuns;
    }
}

const UrlScope *ScopeFor(const SiteRecord *site, const char *path, size_t len)
{
    for (const std::unique_ptr<UrlScope> &s : site->scopes) {
        if (UnderPrefix(path, len, s->prefix)) {
            return s.get();
        }
    }
    return nullptr;
}

const std::vector<int32_t> &RequestPlan(const RequestState *st, int list)
{
    return st->mapping.scope ? st->mapping.scope->plan[list] : st->host->plan[list];
}

const HandlerList &RequestHandlers(const RequestState *st) { return st->mapping.scope ? st->mapping.scope->handlers : st->host->handlers; }

bool RequestHandlersConfigured(const RequestState *st)
{
    return st->mapping.scope ? st->mapping.scope->handlersConfigured : st->host->handlersConfigured;
}

bool HandlerRuns(RequestState *st, int module)
{
    if (!RequestHandlersConfigured(st) && !st->mapping.scriptMap) {
        return true; // no <handlers>: every subscribed module is a handler, as before
    }
    EnsureHandlerMapped(st);
    return st->mapping.handlerRuns && static_cast<size_t>(module) < st->mapping.handlerRuns->size() && (*st->mapping.handlerRuns)[module];
}

// ---------------------------------------------------------------- IMapHandlerProvider

} // namespace iishost

using namespace iishost;

// Fills a handler list from the bridge's entries.
static void SetHandlers(HostInstance *host, HandlerList *list, const iis_handler *handlers, int count)
{
    list->clear();
    for (int i = 0; i < count; i++) {
        const iis_handler &c = handlers[i];
        auto m = std::make_unique<HostScriptMap>();
        m->name = WidenString(c.name);
        m->narrowPath = c.path;
        m->path = WidenString(c.path);
        m->verbs = c.verb;
        m->modules = WidenString(c.modules);
        m->scriptProcessor = WidenString(c.script_processor);
        m->managedType = WidenString(c.managed_type);
        m->requireAccess = c.require_access;
        m->resourceType = c.resource_type;
        m->responseBufferLimit = c.response_buffer_limit;
        m->allowPathInfo = c.allow_path_info ? TRUE : FALSE;
        bool unknown = false;
        m->usable = EvaluatePrecondition(c.precondition, &unknown);
        m->runs.assign(host->modules.size(), 0);
        for (int j = 0; j < c.module_count; j++) {
            int index = c.module_indices[j];
            if (index >= 0 && static_cast<size_t>(index) < m->runs.size()) {
                m->runs[index] = 1;
            }
        }
        list->push_back(std::move(m));
    }
}

extern "C" void iis_handlers_set(iis_host *h, const iis_handler *handlers, int count)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    SetHandlers(host, &host->handlers, handlers, count);
    host->handlersConfigured = true;
}

// A scope's table prefix: "/" (the whole site) becomes "", so every path is under it.
static std::string ScopePrefix(const char *prefix) { return strcmp(prefix, "/") == 0 ? std::string() : std::string(prefix); }

static SiteRecord *ScopeSite(iis_host *h, int site)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    return site >= 0 && size_t(site) < host->sites.size() ? host->sites[site].get() : nullptr;
}

extern "C" void iis_scope_add(iis_host *h, int siteIndex, const char *prefix)
{
    SiteRecord *site = ScopeSite(h, siteIndex);
    if (!site || !prefix) {
        return;
    }
    auto scope = std::make_unique<UrlScope>();
    scope->prefix = ScopePrefix(prefix);
    // Longest first, so that the first match is the most specific.
    auto at = std::find_if(site->scopes.begin(), site->scopes.end(),
                           [&](const std::unique_ptr<UrlScope> &s) { return s->prefix.size() < scope->prefix.size(); });
    site->scopes.insert(at, std::move(scope));
}

static UrlScope *FindScope(iis_host *h, int siteIndex, const char *prefix)
{
    SiteRecord *site = ScopeSite(h, siteIndex);
    if (!site || !prefix) {
        return nullptr;
    }
    std::string key = ScopePrefix(prefix);
    for (const std::unique_ptr<UrlScope> &s : site->scopes) {
        if (s->prefix == key) {
            return s.get();
        }
    }
    return nullptr;
}

extern "C" void iis_scope_plan_set(iis_host *h, int site, const char *prefix, int list, const int32_t *modules, int count)
{
    UrlScope *scope = FindScope(h, site, prefix);
    if (scope && list >= 0 && list < IIS_LIST_GLOBAL) {
        scope->plan[list].assign(modules, modules + count);
    }
}

extern "C" void iis_scope_handlers_set(iis_host *h, int site, const char *prefix, const iis_handler *handlers, int count)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    UrlScope *scope = FindScope(h, site, prefix);
    if (scope) {
        SetHandlers(host, &scope->handlers, handlers, count);
        scope->handlersConfigured = true;
    }
}
