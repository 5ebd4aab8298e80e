// fileinfo.cpp - fixture: IHttpFileInfo, the file cache, DoCacheOperation,
// GL_CACHE_OPERATION and GL_CACHE_CLEANUP.
//
// Contract. One library, two roles:
//  - a request module at RQ_EXECUTE_REQUEST_HANDLER (FINISH_REQUEST, text/plain)
//    for the paths below; files are ?file=<name> under the site root;
//  - a global module for GL_CACHE_OPERATION | GL_CACHE_CLEANUP that appends one
//    line per event to the file named by env var IISHOST_CACHE_LOG (if set):
//      op=<CACHE_OPERATION> <cache name> <file name after the site root> record=<0|1>
//      cleanup
//      terminate                      (CGlobalModule::Terminate)
//
// /info?file=f[&cache=0][&send=1]   IHttpServer::GetFileInfo(path, NULL, NULL,
//     NULL, NULL, cache (default TRUE), &info) then one line per method:
//       hr=<0x%08X>                   (nothing more on failure)
//       attributes=<0x%08X>
//       size=<GetSize>
//       buffer=<GetFileBuffer as text, or (null)>   (only for size <= 64)
//       hasbuffer=<0|1>
//       handle=<valid|invalid>        (GetFileHandle vs INVALID_HANDLE_VALUE)
//       path=<GetFilePath>
//       etag=<GetETag> len=<pcchETag>
//       lastmodified=<GetLastModifiedString>
//       filetime=<GetLastModifiedTime as a 64-bit decimal>
//       cacheallowed=<GetHttpCacheAllowed> ttl=<seconds>
//       key=<GetCacheKey()->GetCacheName()> <IFileKey::GetPath == GetFilePath ? same : differs>
//       flushed=<GetFlushed> changed=<CheckIfFileHasChanged(NULL)>
//       accesscheck=<AccessCheck(NULL, NULL)>
//     send=1 then writes the whole file by GetFileHandle() in a file chunk after
//     the lines and releases the info before the response goes out.
// /ttl?file=f   an uncached info: "expired=<a>,<b>,<c>" after three DecrementTTL,
//     then ResetTTL and one more: ";after-reset=<d>", then SetFlushed:
//     ";flushed=<GetFlushed>".
// /hold?file=f  keeps a cached info (one static slot); body "held".
// /held         reports the held info: "flushed=<0|1> changed=<0|1>", releases it.
// /docache?file=f&op=N   DoCacheOperation(N, key of f, &data): "hr=<0x%08X> found=<0|1>".
// any path with ?ctx=1   IHttpContext::GetFileInfo(): "ctx size=<n> path=<GetFilePath>" or "ctx none".
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>
#include <httpcach.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include "fixture.h"

namespace {

IHttpServer* g_server = nullptr;
std::mutex g_heldLock;
IHttpFileInfo* g_held = nullptr;

void LogLine(const std::string& line) {
    const char* path = std::getenv("IISHOST_CACHE_LOG");
    if (path == nullptr || *path == '\0') return;
    std::string text = line + "\n";
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    ssize_t n = write(fd, text.data(), text.size());
    (void)n;
    close(fd);
}

std::wstring SitePath(IHttpContext* ctx, const std::string& name) {
    return std::wstring(ctx->GetApplication()->GetApplicationPhysicalPath()) + L"/" + fx::Wide(name);
}

// A file-cache key the module makes itself, for DoCacheOperation.
class ModuleFileKey final : public IFileKey {
public:
    explicit ModuleFileKey(std::wstring path) : path_(std::move(path)) {}
    DWORD GetHash() const override { return 0; }
    bool GetIsEqual(IHttpCacheKey* other) const override { return other == this; }
    bool GetIsPrefix(IHttpCacheKey*) const override { return false; }
    void Enum(IHttpCacheSpecificData*) override {}
    PCWSTR GetPath() const override { return path_.c_str(); }

private:
    std::wstring path_;
};

class CacheWatcher final : public CGlobalModule {
public:
    GLOBAL_NOTIFICATION_STATUS OnGlobalCacheOperation(ICacheProvider* provider) override {
        IHttpCacheKey* key = provider->GetCacheKey();
        std::string name = fx::Utf8(key ? key->GetCacheName() : L"(none)");
        std::string file;
        if (name == "FILE") {
            file = fx::Utf8(static_cast<IFileKey*>(key)->GetPath());
            file = file.substr(file.rfind('/') + 1);
        }
        LogLine("op=" + std::to_string(provider->GetCacheOperation()) + " " + name + " " + file +
                " record=" + (provider->GetCacheRecord() ? "1" : "0"));
        return GL_NOTIFICATION_CONTINUE;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalCacheCleanup() override {
        LogLine("cleanup");
        return GL_NOTIFICATION_CONTINUE;
    }
    void Terminate() override {
        LogLine("terminate");
        std::lock_guard<std::mutex> guard(g_heldLock);
        if (g_held) g_held->DereferenceCacheData();
        g_held = nullptr;
        delete this;
    }
};

class FileInfoModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx), q = fx::Query(ctx);
        ctx->GetResponse()->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        std::wstring file = SitePath(ctx, fx::QueryParam(q, "file"));
        if (fx::QueryParam(q, "ctx") == "1") {
            IHttpFileInfo* info = ctx->GetFileInfo();
            ULARGE_INTEGER size = {};
            if (info) info->GetSize(&size);
            fx::Write(ctx, info ? "ctx size=" + std::to_string(size.QuadPart) + " path=" + fx::Utf8(info->GetFilePath())
                                : std::string("ctx none"));
        } else if (path == "/info") {
            Info(ctx, file, fx::QueryParam(q, "cache") != "0", fx::QueryParam(q, "send") == "1");
        } else if (path == "/ttl") {
            IHttpFileInfo* info = nullptr;
            g_server->GetFileInfo(file.c_str(), nullptr, nullptr, nullptr, nullptr, FALSE, &info);
            std::string out = "expired=";
            for (int i = 0; i < 3; i++) {
                BOOL expired = 7;
                info->DecrementTTL(&expired);
                out += std::to_string(expired) + (i < 2 ? "," : "");
            }
            info->ResetTTL();
            BOOL expired = 7;
            info->DecrementTTL(&expired);
            info->SetFlushed();
            out += ";after-reset=" + std::to_string(expired) + ";flushed=" + std::to_string(info->GetFlushed());
            info->DereferenceCacheData();
            fx::Write(ctx, out);
        } else if (path == "/hold") {
            IHttpFileInfo* info = nullptr;
            HRESULT hr = g_server->GetFileInfo(file.c_str(), nullptr, nullptr, nullptr, nullptr, TRUE, &info);
            std::lock_guard<std::mutex> guard(g_heldLock);
            if (g_held) g_held->DereferenceCacheData();
            g_held = info;
            fx::Write(ctx, SUCCEEDED(hr) ? "held" : fx::Hex(hr));
        } else if (path == "/held") {
            std::lock_guard<std::mutex> guard(g_heldLock);
            if (!g_held) {
                fx::Write(ctx, "none");
            } else {
                fx::Write(ctx, "flushed=" + std::to_string(g_held->GetFlushed()) +
                                   " changed=" + std::to_string(g_held->CheckIfFileHasChanged(nullptr)));
                g_held->DereferenceCacheData();
                g_held = nullptr;
            }
        } else if (path == "/docache") {
            ModuleFileKey key(file);
            IHttpCacheSpecificData* data = nullptr;
            HRESULT hr = g_server->DoCacheOperation(
                static_cast<CACHE_OPERATION>(std::atoi(fx::QueryParam(q, "op").c_str())), &key, &data);
            fx::Write(ctx, "hr=" + fx::Hex(hr) + " found=" + (data ? "1" : "0"));
            if (data) data->DereferenceCacheData();
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    static void Info(IHttpContext* ctx, const std::wstring& file, bool cache, bool send) {
        IHttpFileInfo* info = nullptr;
        HRESULT hr = g_server->GetFileInfo(file.c_str(), nullptr, nullptr, nullptr, nullptr, cache, &info);
        std::string out = "hr=" + fx::Hex(hr) + "\n";
        if (FAILED(hr)) {
            fx::Write(ctx, out);
            return;
        }
        ULARGE_INTEGER size = {};
        info->GetSize(&size);
        const BYTE* buffer = info->GetFileBuffer();
        USHORT etagLen = 0;
        PCSTR etag = info->GetETag(&etagLen);
        FILETIME ft = {};
        info->GetLastModifiedTime(&ft);
        DWORD ttl = 99;
        BOOL allowed = info->GetHttpCacheAllowed(&ttl);
        IHttpCacheKey* key = info->GetCacheKey();
        bool same = key && wcscmp(static_cast<IFileKey*>(key)->GetPath(), info->GetFilePath()) == 0;
        char attrs[16];
        snprintf(attrs, sizeof attrs, "0x%08X", static_cast<unsigned>(info->GetAttributes()));
        out += std::string("attributes=") + attrs + "\n";
        out += "size=" + std::to_string(size.QuadPart) + "\n";
        out += "buffer=" + (buffer && size.QuadPart <= 64 ? std::string(reinterpret_cast<const char*>(buffer), size.QuadPart)
                                                          : std::string("(null)")) + "\n";
        out += std::string("hasbuffer=") + (buffer ? "1" : "0") + "\n";
        out += std::string("handle=") + (info->GetFileHandle() != INVALID_HANDLE_VALUE ? "valid" : "invalid") + "\n";
        out += "path=" + fx::Utf8(info->GetFilePath()) + "\n";
        out += "etag=" + std::string(etag ? etag : "(null)") + " len=" + std::to_string(etagLen) + "\n";
        out += "lastmodified=" + std::string(info->GetLastModifiedString()) + "\n";
        out += "filetime=" + std::to_string((static_cast<ULONGLONG>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime) + "\n";
        out += "cacheallowed=" + std::to_string(allowed) + " ttl=" + std::to_string(ttl) + "\n";
        out += "key=" + fx::Utf8(key ? key->GetCacheName() : L"(null)") + " " + (same ? "same" : "differs") + "\n";
        out += "flushed=" + std::to_string(info->GetFlushed()) + " changed=" + std::to_string(info->CheckIfFileHasChanged(nullptr)) + "\n";
        out += "accesscheck=" + fx::Hex(info->AccessCheck(nullptr, nullptr)) + "\n";
        fx::Write(ctx, out);
        if (send) {
            HTTP_DATA_CHUNK chunk = {};
            chunk.DataChunkType = HttpDataChunkFromFileHandle;
            chunk.FromFileHandle.FileHandle = info->GetFileHandle();
            chunk.FromFileHandle.ByteRange.Length.QuadPart = HTTP_BYTE_RANGE_TO_EOF;
            DWORD sent = 0;
            ctx->GetResponse()->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        }
        info->ReferenceCacheData(); // counted: one more reference, one more release
        info->DereferenceCacheData();
        info->DereferenceCacheData();
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    g_server = server;
    HRESULT hr = info->SetRequestNotifications(new fx::Factory<FileInfoModule>(), RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) return hr;
    return info->SetGlobalNotifications(new CacheWatcher(), GL_CACHE_OPERATION | GL_CACHE_CLEANUP);
}
