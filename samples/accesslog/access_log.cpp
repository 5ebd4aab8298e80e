// access_log.cpp: one access-log line per request, written in RQ_LOG_REQUEST.
//
// Shows: reading server variables (narrow GetServerVariable overload) and the final
// status with IHttpResponse::GetStatus. The log stage runs for every request, also
// for those another module ended early (a 401 from basic_auth, a 403 from
// deny_prefix, any RQ_NOTIFICATION_FINISH_REQUEST), so this module is the example
// of that guarantee. The line format is
//   <REQUEST_METHOD> <URL>[?<QUERY_STRING>] <status> <REMOTE_ADDR>
// appended to the file named by IISHOST_ACCESS_LOG, or to stderr when it is unset
// (the variable is read once, when the module is registered).
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   IISHOST_ACCESS_LOG=/tmp/access.log go run ./cmd/iishost &
//   curl -s 'http://127.0.0.1:8080/hello?lang=en'; curl -s http://127.0.0.1:8080/secure/x
//   cat /tmp/access.log
//   -> GET /hello?lang=en 200 127.0.0.1
//      GET /secure/x 401 127.0.0.1

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>

namespace {

// The log sink, shared by every request of one registration.
//
// The file is opened once (append mode) and kept open, rather than opened and
// closed per line: that would add an open, a close and a path lookup to every
// request, and a bad path would only show up at the first request instead of at
// startup. Each line is built first, then written and flushed under the mutex,
// so lines never interleave and each is complete on disk before the response
// is sent (the log stage runs before the final send).
struct LogSink {
    std::mutex mu;
    FILE* file = NULL;  // NULL means stderr
    bool owned = false;

    ~LogSink() {
        if (owned) {
            fclose(file);
        }
    }
};

// Appends a server variable, or "-" when the host has none. Control characters
// (a decoded %0A in the URL, say) become '?', so one request is always one line.
// Returns whether the variable had a non-empty value.
bool AppendVar(std::string& out, IHttpContext* ctx, PCSTR name, bool dashIfEmpty = true) {
    PCSTR value = NULL;
    DWORD cch = 0;
    if (FAILED(ctx->GetServerVariable(name, &value, &cch)) || value == NULL || cch == 0) {
        if (dashIfEmpty) {
            out += '-';
        }
        return false;
    }
    for (DWORD i = 0; i < cch; i++) {
        const unsigned char c = (unsigned char)value[i];
        out += (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    return true;
}

class AccessLogModule : public CHttpModule {
public:
    explicit AccessLogModule(LogSink* sink) : sink_(sink) {}

    REQUEST_NOTIFICATION_STATUS OnLogRequest(IHttpContext* pHttpContext,
                                             IHttpEventProvider* pProvider) override {
        UNREFERENCED_PARAMETER(pProvider);
        std::string line;
        AppendVar(line, pHttpContext, "REQUEST_METHOD");
        line += ' ';
        AppendVar(line, pHttpContext, "URL");

        std::string query;
        if (AppendVar(query, pHttpContext, "QUERY_STRING", false)) {
            line += '?';
            line += query;
        }

        USHORT status = 0;
        pHttpContext->GetResponse()->GetStatus(&status);
        char num[16];
        snprintf(num, sizeof num, " %u ", (unsigned)status);
        line += num;
        AppendVar(line, pHttpContext, "REMOTE_ADDR");
        line += '\n';

        std::lock_guard<std::mutex> lock(sink_->mu);
        FILE* f = sink_->file != NULL ? sink_->file : stderr;
        fwrite(line.data(), 1, line.size(), f);
        fflush(f);
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    LogSink* sink_;
};

class AccessLogFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator* pAllocator) override {
        UNREFERENCED_PARAMETER(pAllocator);
        *ppModule = new (std::nothrow) AccessLogModule(&sink_);
        return *ppModule != NULL ? S_OK : E_OUTOFMEMORY;
    }
    // Called once at shutdown, after the last request: closing the file here is safe.
    void Terminate() override { delete this; }

    LogSink sink_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo* pModuleInfo,
                                 IHttpServer* pGlobalInfo) {
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    AccessLogFactory* factory = new (std::nothrow) AccessLogFactory();
    if (factory == NULL) {
        return E_OUTOFMEMORY;
    }
    const char* path = getenv("IISHOST_ACCESS_LOG");
    if (path != NULL && *path != '\0') {
        factory->sink_.file = fopen(path, "a");
        if (factory->sink_.file == NULL) {
            fprintf(stderr, "access_log: cannot open IISHOST_ACCESS_LOG=%s\n", path);
            delete factory;
            return E_FAIL;
        }
        factory->sink_.owned = true;
    }
    return pModuleInfo->SetRequestNotifications(factory, RQ_LOG_REQUEST, 0);
}
