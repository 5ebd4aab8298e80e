// The doors Go configures a host by (bridge.h): making it, its sites, applications and virtual
// directories, loading each module's RegisterModule, the compiled plan, global notifications and
// Terminate (cabi.go, load.go).
#include <exception>
#include <string.h>
#include <strings.h>
#include <wctype.h>
#include "admin.h"
#include "bridge.h"
#include "callbacks.h"
#include "forward.h"
#include "global_events.h"
#include "host_files.h"
#include "host_instance.h"
#include "http_application.h"
#include "http_connection.h"
#include "http_file_info.h"
#include "http_file_monitor.h"
#include "http_site.h"
#include "module_calls.h"
#include "module_context_containers.h"
#include "module_guard.h"
#include "module_registration.h"
#include "wide_strings.h"

namespace iishost {

// A site-relative URL as the tables keep it: "/" becomes "", a trailing '/' is dropped.
static std::string TableUrl(const char *url)
{
    std::string u = url;
    while (!u.empty() && u.back() == '/') {
        u.pop_back();
    }
    return u;
}

static std::string TablePath(const char *path)
{
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') {
        p.pop_back();
    }
    return p;
}

} // namespace iishost

using namespace iishost;

extern "C" {

static HostInstance *Instance(iis_host *h) { return reinterpret_cast<HostInstance *>(h); }

iis_host *iis_host_new(const iis_server_config *config)
{
    HostInstance *host;
    try {
        host = new HostInstance();
    } catch (...) {
        return nullptr;
    }
    host->goId = config->go_id;
    host->config.appPoolName = config->app_pool_name;
    host->config.configPath = config->config_path;
    host->config.wideAppPoolName = WidenString(host->config.appPoolName);
    host->config.wideConfigPath = WidenString(host->config.configPath);
    return reinterpret_cast<iis_host *>(host);
}

int iis_site_add(iis_host *h, const char *name, uint32_t id)
{
    HostInstance *host = Instance(h);
    if (!name || !*name || id == 0) {
        return -1;
    }
    auto site = std::make_unique<SiteRecord>(host);
    site->name = name;
    site->wideName = WidenString(site->name);
    site->wideMetaPath = L"MACHINE/WEBROOT/APPHOST/" + site->wideName;
    site->id = id;
    site->index = static_cast<uint32_t>(host->sites.size());
    host->sites.push_back(std::move(site));
    return static_cast<int>(host->sites.size() - 1);
}

static SiteRecord *SiteAt(iis_host *h, int index)
{
    HostInstance *host = Instance(h);
    return index >= 0 && size_t(index) < host->sites.size() ? host->sites[index].get() : nullptr;
}

int iis_application_add(iis_host *h, int index, const char *url, const char *physicalPath)
{
    SiteRecord *site = SiteAt(h, index);
    if (!site || !url || url[0] != '/' || !IsAbsolutePath(physicalPath)) {
        return -1;
    }
    auto app = std::make_unique<HostApplication>();
    app->site = site;
    app->url = TableUrl(url);
    app->physicalPath = TablePath(physicalPath);
    app->widePhysicalPath = WidenString(app->physicalPath);
    std::wstring suffix = WidenString(app->url);
    app->wideAppId = L"/LM/W3SVC/" + std::to_wstring(site->id) + L"/ROOT" + suffix;
    app->wideConfigPath = site->wideMetaPath + suffix;
    app->contexts.reset(new SharedContextContainer());
    app->contexts->host = site->host;
    app->metadata.app = app.get();
    app->metadata.contexts.reset(new SharedContextContainer());
    app->metadata.contexts->host = site->host;
    if (app->url.empty()) {
        site->root = app.get();
    }
    auto at = std::find_if(site->applications.begin(), site->applications.end(),
                           [&](const std::unique_ptr<HostApplication> &a) { return a->url.size() < app->url.size(); });
    site->applications.insert(at, std::move(app));
    return 0;
}

int iis_virtual_directory_add(iis_host *h, int index, const char *url, const char *physicalPath)
{
    SiteRecord *site = SiteAt(h, index);
    if (!site || !url || url[0] != '/' || !IsAbsolutePath(physicalPath)) {
        return -1;
    }
    VirtualDirectory dir;
    dir.url = TableUrl(url);
    dir.physicalPath = TablePath(physicalPath);
    if (dir.physicalPath == "/") {
        dir.physicalPath.clear(); // joined with a URL path that starts with '/'
    }
    dir.application = ApplicationFor(site, dir.url.data(), dir.url.size());
    auto at = std::find_if(site->directories.begin(), site->directories.end(),
                           [&](const VirtualDirectory &d) { return d.url.size() < dir.url.size(); });
    site->directories.insert(at, std::move(dir));
    return 0;
}

void iis_host_free(iis_host *h) { delete Instance(h); }

void iis_host_set_configuration(iis_host *h, const char *buf, size_t len)
{
    std::unique_ptr<ConfigDocument> doc = ParseConfigBuffer(buf, len);
    if (!doc) {
        Log(Instance(h), 3, "", "configuration document for the admin manager is malformed; modules see an empty one");
        return;
    }
    Instance(h)->admin->SetDocument(std::move(doc));
}

int iis_module_register(iis_host *h, const char *name, void *registerModule, iis_registration *out)
{
    HostInstance *host = Instance(h);
    memset(out, 0, sizeof(*out));
    auto *entry = new ModuleEntry();
    entry->host = host;
    entry->index = static_cast<int>(host->modules.size());
    entry->name = name;
    entry->wideName = WidenString(entry->name);
    entry->info.entry = entry;
    for (int i = 0; i < IIS_MASK_BITS; i++) {
        entry->requestPriority[i] = entry->postPriority[i] = entry->globalPriority[i] = 2; // MEDIUM
    }
    auto entryPoint = reinterpret_cast<PFN_REGISTERMODULE>(registerModule);
    HRESULT hr = E_FAIL;
    CrashScope named(entry, "RegisterModule");
    try {
        // The server version IIS 10 reports; modules compare it against what they need.
        hr = ModuleCall([&] { return entryPoint(10, &entry->info, &host->server); });
    } catch (...) {
        snprintf(out->error, sizeof(out->error), "RegisterModule threw an exception: %s", DescribeCurrentException().c_str());
        hr = E_FAIL;
    }
    out->hr = hr;
    if (FAILED(hr) || out->error[0]) {
        if (!out->error[0]) {
            snprintf(out->error, sizeof(out->error), "RegisterModule returned HRESULT 0x%08X", static_cast<unsigned>(hr));
        }
        // What the module registered is dropped; IIS does not call a module that failed to load.
        delete entry;
        return -1;
    }
    out->request_mask = entry->requestMask;
    out->post_mask = entry->postMask;
    out->global_mask = entry->globalMask;
    memcpy(out->request_priority, entry->requestPriority, sizeof(out->request_priority));
    memcpy(out->post_priority, entry->postPriority, sizeof(out->post_priority));
    memcpy(out->global_priority, entry->globalPriority, sizeof(out->global_priority));
    host->modules.push_back(entry);
    NoteModuleImage(entry->name.c_str(), registerModule);
    return entry->index;
}

void iis_plan_set(iis_host *h, int list, const int32_t *modules, int count)
{
    if (list < 0 || list >= IIS_LIST_COUNT) {
        return;
    }
    Instance(h)->plan[list].assign(modules, modules + count);
}

void iis_host_set_request_memory_limit(iis_host *h, uint64_t bytes)
{
    Instance(h)->maxRequestMemory = bytes ? bytes : IIS_DEFAULT_MAX_REQUEST_MEMORY;
}

// NotifyOnce raises one global notification; application is the one the application events
// are about.
static int NotifyOnce(HostInstance *host, uint32_t event, HostApplication *application)
{
    int bit = __builtin_ctz(event);
    ApplicationProvider app;
    app.application = application;
    ResolveModulesProvider resolve;
    resolve.application = application;
    StopListeningProvider stop;
    for (int32_t index : host->plan[IIS_LIST_GLOBAL + bit]) {
        ModuleEntry *m = host->modules[index];
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        CrashScope named(m, event);
        bool known = true;
        try {
            status = ModuleCall([&] {
                switch (event) {
                case GL_APPLICATION_START:
                    return m->global->OnGlobalApplicationStart(&app);
                case GL_APPLICATION_RESOLVE_MODULES:
                    return m->global->OnGlobalApplicationResolveModules(&resolve);
                case GL_APPLICATION_STOP:
                    return m->global->OnGlobalApplicationStop(&app);
                case GL_STOP_LISTENING:
                    return m->global->OnGlobalStopListening(&stop);
                case GL_CACHE_CLEANUP:
                    return m->global->OnGlobalCacheCleanup();
                case GL_HEALTH_CHECK:
                    return m->global->OnGlobalHealthCheck();
                default:
                    known = false;
                    return GL_NOTIFICATION_CONTINUE;
                }
            });
        } catch (...) {
            Log(host, 3, m->name, "exception escaped a global notification: " + DescribeCurrentException());
        }
        if (!known) {
            return 0;
        }
        if (status == GL_NOTIFICATION_HANDLED) {
            return 1;
        }
    }
    return 0;
}

int iis_global_notify(iis_host *h, uint32_t event)
{
    HostInstance *host = Instance(h);
    if (event != GL_APPLICATION_START && event != GL_APPLICATION_RESOLVE_MODULES && event != GL_APPLICATION_STOP) {
        return NotifyOnce(host, event, nullptr);
    }
    // IIS raises the application events once per application, each with its own.
    int handled = 0;
    for (const std::unique_ptr<SiteRecord> &site : host->sites) {
        for (const std::unique_ptr<HostApplication> &app : site->applications) {
            handled |= NotifyOnce(host, event, app.get());
        }
    }
    return handled;
}

void iis_modules_terminate(iis_host *h)
{
    HostInstance *host = Instance(h);
    // The applications and sites end before their modules do.
    for (const std::unique_ptr<SiteRecord> &site : host->sites) {
        for (const std::unique_ptr<HostApplication> &app : site->applications) {
            app->contexts->Cleanup();
        }
        site->contexts->Cleanup();
    }
    CloseConnections(host);
    CleanupFileMonitors(host);
    for (const std::unique_ptr<SiteRecord> &site : host->sites) {
        for (const std::unique_ptr<HostApplication> &app : site->applications) {
            app->metadata.contexts->Cleanup();
        }
        site->urls.Clear();
    }
    for (ModuleEntry *m : host->modules) {
        try {
            ModuleCall([m] {
                if (m->factory) {
                    m->factory->Terminate();
                }
                if (m->global) {
                    m->global->Terminate();
                }
            });
        } catch (...) {
            Log(host, 3, m->name, "exception escaped Terminate");
        }
        m->factory = nullptr;
        m->global = nullptr;
    }
    FreeFileMonitors(host); // those no module released, even in Terminate
}

} // extern "C"
