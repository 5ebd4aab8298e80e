// IScriptMapInfo and handler mapping: the <handlers> entries, URL scopes, and which modules
// run a request (script_map_info.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bridge.h"
#include "forward.h"

namespace iishost {

// One <handlers> entry (script_map_info.cpp); runs[i] says module i handles its requests.
class HostScriptMap : public IScriptMapInfoStub {
public:
    std::wstring name, path, modules, scriptProcessor, managedType;
    std::string narrowPath, verbs;
    DWORD requireAccess = 3, resourceType = 3, responseBufferLimit = 4194304;
    BOOL allowPathInfo = FALSE;
    bool usable = true; // its preCondition holds here
    std::vector<uint8_t> runs;
    PCWSTR GetPath() const override;
    PCSTR GetAllowedVerbs() const override;
    PCWSTR GetModules(DWORD *length) const override;
    PCWSTR GetScriptProcessor(DWORD *length) const override;
    PCWSTR GetManagedType(DWORD *length) const override;
    BOOL GetAllowPathInfoForScriptMappings() const override;
    DWORD GetRequiredAccess() const override;
    DWORD GetResourceType() const override;
    BOOL GetIsStarScriptMap() const override;
    DWORD GetResponseBufferLimit() const override;
    PCWSTR GetName() const override;
};

using HandlerList = std::vector<std::unique_ptr<HostScriptMap>>;

// A URL scope: the request plan lists and handler mappings a <location path="Site/url"> puts in
// force for the URLs under it (host/config.go). Made at startup, immutable while serving.
struct UrlScope {
    std::string prefix; // "/sub": matched case-insensitively, at a segment boundary; "" the whole site
    std::vector<int32_t> plan[IIS_LIST_GLOBAL];
    HandlerList handlers;
    bool handlersConfigured = false;
};

// Whether module runs RQ_EXECUTE_REQUEST_HANDLER for this request under handler mapping.
bool HandlerRuns(RequestState *st, int module);

// The first usable handler entry matching a URL path and verb, or null.
HostScriptMap *MatchHandler(const HandlerList &handlers, const std::string &url, const char *verb, size_t verbLen, bool ignoreWildcards);

// The scope a URL path falls under, or null for the host's own lists.
const UrlScope *ScopeFor(const SiteRecord *site, const char *path, size_t len);

// A request's plan list, handler mappings and whether <handlers> applies, from its scope.
const std::vector<int32_t> &RequestPlan(const RequestState *st, int list);

const HandlerList &RequestHandlers(const RequestState *st);

bool RequestHandlersConfigured(const RequestState *st);

// Evaluates an IIS preCondition list for this host; unknown names fail and set *unknown.
bool EvaluatePrecondition(const std::string &list, bool *unknown);

// Chooses the request's handler once, after RQ_MAP_REQUEST_HANDLER (script_map_info.cpp).
void EnsureHandlerMapped(RequestState *st);

} // namespace iishost
