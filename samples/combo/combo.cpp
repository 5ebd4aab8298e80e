// combo.cpp: serves several site files as one response, each fetched by a child request.
//
//   /combo?/a.css&/b.css  answers the files /a.css then /b.css, concatenated, with the first
//                         part's Content-Type. A part that does not answer 200 makes the whole
//                         response a 404 naming it. At most 16 parts, each a site path.
//
// Each part is a clone of the request (CloneContext with CLONE_FLAG_BASICS | CLONE_FLAG_HEADERS)
// pointed at the part's URL and run through the whole pipeline with ExecuteRequest, so every
// module (and the static file handler) treats it as it would a request of its own. With
// EXECUTE_FLAG_NO_HEADERS | EXECUTE_FLAG_BUFFER_RESPONSE the child's body lands in this
// response's buffer and nothing is sent before the combo is complete. Children may finish
// asynchronously: then the next part starts from OnAsyncCompletion.
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl -i 'http://127.0.0.1:8080/combo?/index.html&/index.html'

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include "../sample.h"

#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace {

const size_t kMaxParts = 16;

class ComboModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (!sample::PathIs(ctx, L"/combo")) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        ctx->SetRequestHandled();
        // The parts are the query's '&'-separated items, each a site path.
        const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
        const char* query = raw->pRawUrl ? strchr(raw->pRawUrl, '?') : NULL;
        std::string rest = query ? query + 1 : "";
        for (size_t start = 0; start <= rest.size();) {
            size_t end = rest.find('&', start);
            if (end == std::string::npos) end = rest.size();
            if (end > start) parts_.push_back(rest.substr(start, end - start));
            start = end + 1;
        }
        if (parts_.empty() || parts_.size() > kMaxParts) {
            return Fail(ctx, 400, "Bad Request", "combo: give 1 to 16 site paths after '?'\n");
        }
        for (const std::string& p : parts_) {
            if (p[0] != '/') return Fail(ctx, 400, "Bad Request", "combo: parts are site paths: " + p + "\n");
        }
        ctx->GetResponse()->Clear();
        return RunParts(ctx);
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext* ctx, DWORD, BOOL, IHttpEventProvider*,
                                                  IHttpCompletionInfo*) override {
        // The running child finished.
        return EndPart(ctx) ? RunParts(ctx) : RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    // RunParts runs the parts left, one child each; a child that completes at once is checked
    // in place, one still running brings the module back in OnAsyncCompletion.
    REQUEST_NOTIFICATION_STATUS RunParts(IHttpContext* ctx) {
        while (next_ < parts_.size()) {
            HRESULT hr = ctx->CloneContext(CLONE_FLAG_BASICS | CLONE_FLAG_HEADERS, &child_);
            if (SUCCEEDED(hr)) {
                const std::string& url = parts_[next_];
                hr = child_->GetRequest()->SetUrl(url.c_str(), static_cast<DWORD>(url.size()), TRUE);
            }
            BOOL pending = FALSE;
            if (SUCCEEDED(hr)) {
                hr = ctx->ExecuteRequest(TRUE, child_, EXECUTE_FLAG_NO_HEADERS | EXECUTE_FLAG_BUFFER_RESPONSE, NULL,
                                         &pending);
            }
            if (FAILED(hr)) {
                return Fail(ctx, 500, "Internal Server Error", "combo: a child request failed\n");
            }
            if (pending) {
                return RQ_NOTIFICATION_PENDING;
            }
            if (!EndPart(ctx)) {
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    // EndPart checks the finished child, keeps its Content-Type if it is the first part, and
    // releases it. A part that did not answer 200 turns the response into a 404: false.
    bool EndPart(IHttpContext* ctx) {
        USHORT status = 0;
        child_->GetResponse()->GetStatus(&status);
        if (next_ == 0) {
            USHORT len = 0;
            PCSTR type = child_->GetResponse()->GetHeader(HttpHeaderContentType, &len);
            if (type) ctx->GetResponse()->SetHeader(HttpHeaderContentType, type, len, TRUE);
        }
        child_->ReleaseClonedContext();
        child_ = NULL;
        if (status != 200) {
            Fail(ctx, 404, "Not Found", "combo: " + parts_[next_] + " answered " + std::to_string(status) + "\n");
            return false;
        }
        next_++;
        return true;
    }

    REQUEST_NOTIFICATION_STATUS Fail(IHttpContext* ctx, USHORT status, PCSTR reason, const std::string& text) {
        IHttpResponse* resp = ctx->GetResponse();
        resp->Clear();
        resp->SetStatus(status, reason);
        resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        sample::Write(ctx, text);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    std::vector<std::string> parts_;
    size_t next_ = 0;
    IHttpContext* child_ = NULL;
};

class ComboFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new (std::nothrow) ComboModule();
        return *module ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new ComboFactory(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
