// fuzzapi.cpp - fixture: a fuzzer's program drives host API calls with hostile arguments.
//
// Contract (paths compared with the cooked pAbsPath):
// /fuzz?<hex>  The query is a program, two hex digits a byte (the first non-hex character ends
//   it). Its first byte picks the stage that runs it: 0 RQ_EXECUTE_REQUEST_HANDLER, 1
//   RQ_BEGIN_REQUEST, 2 RQ_LOG_REQUEST (the handler stage then CONTINUEs, so the site's fallback
//   answers first). The rest is steps: an opcode byte, then the argument bytes that step takes
//   (a program that runs short reads zeros). Each step makes one host call (see Step) and
//   checks only what the host hands back: every pointer and length it returns is read through,
//   so a sanitizer build catches a length that overstates its buffer. After the steps the
//   module walks GetRawHttpRequest and GetRawHttpResponse the same way, appends
//   "steps=<n> failed=<calls that returned a failing HRESULT>" to the response and, at the
//   handler or begin stage, FINISHes. Whatever status and headers the program left stand.
// Other paths: CONTINUE, nothing written.
//
// Arguments are hostile only in ways the API lets a host detect: NULLs, empty and unterminated
// strings, odd byte addresses, out-of-range ids, lengths up to the maximum of their type. A
// length never exceeds the buffer the module really passes, so any out-of-bounds access a
// sanitizer reports is the host's.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "fixture.h"

namespace {

// kMaxBuffer bounds every buffer the module hands the host: a USHORT length always fits.
constexpr size_t kMaxBuffer = 0x10000;

// Touch reads n bytes at p, so a sanitizer build checks that the host's length is real.
volatile unsigned char g_sink;
void Touch(const void* p, size_t n) {
    const unsigned char* b = static_cast<const unsigned char*>(p);
    unsigned char acc = 0;
    for (size_t i = 0; p != nullptr && i < n; i++) acc ^= b[i];
    g_sink = acc;
}

void TouchWide(PCWSTR p, size_t chars) { Touch(p, chars * sizeof(WCHAR)); }

// Stored is a module context that frees itself when the host cleans it up.
class Stored final : public IHttpStoredContext {
public:
    void CleanupStoredContext() override { delete this; }
};

// Program reads a step's arguments from the fuzzer's bytes; past the end it reads zeros.
class Program {
public:
    explicit Program(std::vector<unsigned char> bytes) : b_(std::move(bytes)) {}
    bool Done() const { return pos_ >= b_.size(); }
    unsigned U8() { return pos_ < b_.size() ? b_[pos_++] : 0; }
    // Each read is its own statement: operands of | are unsequenced in C++.
    unsigned U16() {
        unsigned lo = U8();
        return lo | U8() << 8;
    }
    uint32_t U32() {
        uint32_t lo = U16();
        return lo | static_cast<uint32_t>(U16()) << 16;
    }
    bool Flag() { return U8() & 1; }

    // Text is up to 255 program bytes, any values (a NUL inside ends it as a C string).
    std::string Text() {
        size_t n = U8();
        std::string s;
        for (size_t i = 0; i < n && !Done(); i++) s += static_cast<char>(U8());
        return s;
    }

    // Wide is Text widened, each character either one byte or any 32-bit value (surrogates,
    // values past U+10FFFF).
    std::wstring Wide() {
        size_t n = U8();
        bool any = Flag();
        std::wstring s;
        for (size_t i = 0; i < n && !Done(); i++) {
            uint32_t c = any ? U32() : U8();
            if (c == 0) c = 'x';  // the caller's NUL terminates, not the fuzzer's
            s += static_cast<WCHAR>(c);
        }
        return s;
    }

    // Length picks a length from the edges of its type or a small value, at most max.
    uint32_t Length(uint32_t max) {
        uint32_t v;
        switch (U8() % 6) {
        case 0: v = 0; break;
        case 1: v = 1; break;
        case 2: v = 0xFFFF; break;
        case 3: v = 0xFFFFFFFFu; break;
        case 4: v = 0x80000000u; break;
        default: v = U16(); break;
        }
        return v > max ? max : v;
    }

    // Pick returns one of the n choices, or NULL (when the last selector value comes up).
    const char* Pick(const char* const* names, size_t n, std::string* scratch) {
        unsigned s = U8() % (n + 2);
        if (s < n) return names[s];
        if (s == n) return nullptr;
        *scratch = Text();
        return scratch->c_str();
    }

private:
    std::vector<unsigned char> b_;
    size_t pos_ = 0;
};

const char* const kHeaderNames[] = {"Content-Type", "Content-Length", "Transfer-Encoding", "Host", "Location",
                                    "Set-Cookie",   "X-Fuzz",         "",                  "Connection", "Server"};
const char* const kVariables[] = {"REQUEST_METHOD", "URL",           "QUERY_STRING", "ALL_RAW",
                                  "ALL_HTTP",       "HTTP_HOST",     "HTTP_X_FUZZ",  "PATH_TRANSLATED",
                                  "APPL_PHYSICAL_PATH", "UNENCODED_URL", "CONTENT_LENGTH", "REMOTE_ADDR",
                                  "SCRIPT_NAME",    "HEADER_X-Fuzz", "CERT_SUBJECT", ""};

class FuzzApiModule final : public CHttpModule {
public:
    FuzzApiModule(HTTP_MODULE_ID id, IHttpServer* server) : id_(id), server_(server) {}

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        return Stage(ctx, 1);
    }
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        return Stage(ctx, 0);
    }
    REQUEST_NOTIFICATION_STATUS OnLogRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        Stage(ctx, 2);
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    // Stage runs the program when its first byte names this stage.
    REQUEST_NOTIFICATION_STATUS Stage(IHttpContext* ctx, unsigned stage) {
        if (ran_ || fx::AbsPath(ctx) != "/fuzz") return RQ_NOTIFICATION_CONTINUE;
        Program p(Decode(fx::Query(ctx)));
        if (p.U8() % 3 != stage) return RQ_NOTIFICATION_CONTINUE;
        ran_ = true;
        unsigned steps = 0;
        while (!p.Done() && steps < 256) {
            Step(ctx, p);
            steps++;
        }
        WalkRequest(ctx->GetRequest()->GetRawHttpRequest());
        WalkResponse(ctx->GetResponse()->GetRawHttpResponse());
        fx::Write(ctx, "steps=" + std::to_string(steps) + " failed=" + std::to_string(failed_) + "\n");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    static std::vector<unsigned char> Decode(const std::string& hex) {
        auto digit = [](char c) {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        std::vector<unsigned char> out;
        for (size_t i = 0; i + 1 < hex.size(); i += 2) {
            int hi = digit(hex[i]), lo = digit(hex[i + 1]);
            if (hi < 0 || lo < 0) break;
            out.push_back(static_cast<unsigned char>(hi << 4 | lo));
        }
        return out;
    }

    void Check(HRESULT hr) { failed_ += FAILED(hr) ? 1 : 0; }

    // Owned copies bytes into a heap buffer of exactly their size, which lives as long as the
    // request (the module object): no NUL follows, so a host that reads on is caught. An odd
    // start comes from one spare leading byte.
    char* Owned(const std::string& bytes, bool odd) {
        size_t n = bytes.size() + (odd ? 1 : 0);
        std::unique_ptr<char[]> buf(new char[n ? n : 1]);
        char* p = buf.get() + (odd ? 1 : 0);
        if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
        keep_.push_back(std::move(buf));
        return p;
    }

    // Value is a header value buffer of at least len bytes (len from the program, at most a
    // USHORT): either fuzzed text padded to len, or NULL.
    PCSTR Value(Program& p, USHORT* len) {
        std::string text = p.Text();
        unsigned mode = p.U8() % 4;
        if (mode == 0) {
            *len = static_cast<USHORT>(p.Length(0xFFFF));
            return nullptr;
        }
        *len = static_cast<USHORT>(mode == 1 ? text.size() : p.Length(0xFFFF));
        if (text.size() < *len) text.resize(*len, 'v');
        return Owned(text, p.Flag());
    }

    HTTP_HEADER_ID HeaderId(Program& p) {
        static const int kEdges[] = {-1, 9999, 0x7FFFFFFF, HttpHeaderRequestMaximum, HttpHeaderResponseMaximum};
        unsigned s = p.U8();
        int v = s < 200 ? static_cast<int>(s % 45) : kEdges[s % 5];
        return static_cast<HTTP_HEADER_ID>(v);
    }

    void Step(IHttpContext* ctx, Program& p) {
        IHttpRequest* req = ctx->GetRequest();
        IHttpResponse* resp = ctx->GetResponse();
        std::string scratch;
        USHORT len = 0;
        switch (p.U8() % 24) {
        case 0: {  // request and response GetHeader by name, with or without a length pointer
            PCSTR name = p.Pick(kHeaderNames, sizeof kHeaderNames / sizeof *kHeaderNames, &scratch);
            bool onRequest = p.Flag(), withLen = p.Flag();
            USHORT* out = withLen ? &len : nullptr;
            PCSTR v = onRequest ? req->GetHeader(name, out) : resp->GetHeader(name, out);
            if (v && withLen) Touch(v, len);
            break;
        }
        case 1: {  // GetHeader by id, any id
            HTTP_HEADER_ID id = HeaderId(p);
            PCSTR v = p.Flag() ? req->GetHeader(id, &len) : resp->GetHeader(id, &len);
            if (v) Touch(v, len);
            break;
        }
        case 2: {  // SetHeader by name
            PCSTR name = p.Pick(kHeaderNames, sizeof kHeaderNames / sizeof *kHeaderNames, &scratch);
            bool onRequest = p.Flag();
            BOOL replace = p.Flag();
            PCSTR v = Value(p, &len);
            Check(onRequest ? req->SetHeader(name, v, len, replace) : resp->SetHeader(name, v, len, replace));
            break;
        }
        case 3: {  // SetHeader by id
            HTTP_HEADER_ID id = HeaderId(p);
            bool onRequest = p.Flag();
            BOOL replace = p.Flag();
            PCSTR v = Value(p, &len);
            Check(onRequest ? req->SetHeader(id, v, len, replace) : resp->SetHeader(id, v, len, replace));
            break;
        }
        case 4: {  // DeleteHeader by name or id
            bool onRequest = p.Flag();
            if (p.Flag()) {
                PCSTR name = p.Pick(kHeaderNames, sizeof kHeaderNames / sizeof *kHeaderNames, &scratch);
                Check(onRequest ? req->DeleteHeader(name) : resp->DeleteHeader(name));
            } else {
                HTTP_HEADER_ID id = HeaderId(p);
                Check(onRequest ? req->DeleteHeader(id) : resp->DeleteHeader(id));
            }
            break;
        }
        case 5: {  // SetUrl, narrow: 0 means NUL-terminated; otherwise the length of an unterminated copy
            std::string url = p.Text();
            unsigned mode = p.U8() % 3;
            BOOL reset = p.Flag();
            if (mode == 0) {
                Check(req->SetUrl(static_cast<PCSTR>(nullptr), p.U32(), reset));
            } else if (mode == 1) {
                Check(req->SetUrl(url.c_str(), 0, reset));
            } else if (!url.empty()) {
                DWORD n = static_cast<DWORD>(url.size() - p.U8() % url.size());
                Check(req->SetUrl(Owned(url, p.Flag()), n, reset));
            }
            break;
        }
        case 6: {  // SetUrl, wide
            std::wstring url = p.Wide();
            unsigned mode = p.U8() % 3;
            BOOL reset = p.Flag();
            if (mode == 0) {
                Check(req->SetUrl(static_cast<PCWSTR>(nullptr), p.U32(), reset));
            } else if (mode == 1 || url.empty()) {
                Check(req->SetUrl(url.c_str(), 0, reset));
            } else {
                std::unique_ptr<WCHAR[]> copy(new WCHAR[url.size()]);  // unterminated
                std::wmemcpy(copy.get(), url.data(), url.size());
                Check(req->SetUrl(copy.get(), static_cast<DWORD>(url.size() - p.U8() % url.size()), reset));
            }
            break;
        }
        case 7: {  // ReadEntityBody, synchronous (asynchronous without a pending flag is synchronous too)
            uint32_t size = p.Length(kMaxBuffer);
            bool odd = p.Flag();
            BOOL async = p.Flag();
            bool withCount = p.Flag();
            std::unique_ptr<char[]> buf(p.Flag() ? nullptr : new char[size + 1]);
            void* at = buf ? buf.get() + (odd ? 1 : 0) : nullptr;
            DWORD got = 0;
            HRESULT hr = req->ReadEntityBody(at, size, async, withCount ? &got : nullptr);
            Check(hr);
            if (SUCCEEDED(hr) && buf && withCount) Touch(at, got);
            break;
        }
        case 8: {  // InsertEntityBody: not copied, so the bytes live as long as the request
            std::string text = p.Text();
            if (p.Flag()) {
                Check(req->InsertEntityBody(nullptr, p.Length(0xFFFFFFFFu)));
            } else {
                Check(req->InsertEntityBody(Owned(text, p.Flag()), static_cast<DWORD>(text.size())));
            }
            break;
        }
        case 9: {  // SetHttpMethod
            std::string verb = p.Text();
            Check(req->SetHttpMethod(p.Flag() ? nullptr : verb.c_str()));
            if (PCSTR m = req->GetHttpMethod()) Touch(m, std::strlen(m));
            break;
        }
        case 10: {  // GetServerVariable, narrow or wide, with NULL out-pointers
            PCSTR name = p.Pick(kVariables, sizeof kVariables / sizeof *kVariables, &scratch);
            bool wide = p.Flag(), withValue = !p.Flag(), withLen = !p.Flag();
            DWORD cch = 0;
            HRESULT hr;
            if (wide) {
                PCWSTR v = nullptr;
                hr = ctx->GetServerVariable(name, withValue ? &v : nullptr, withLen ? &cch : nullptr);
                if (SUCCEEDED(hr) && v) TouchWide(v, withLen ? cch + 1 : std::wcslen(v));
            } else {
                PCSTR v = nullptr;
                hr = ctx->GetServerVariable(name, withValue ? &v : nullptr, withLen ? &cch : nullptr);
                if (SUCCEEDED(hr) && v) Touch(v, withLen ? cch + 1 : std::strlen(v));
            }
            Check(hr);
            break;
        }
        case 11: {  // SetServerVariable
            PCSTR name = p.Pick(kVariables, sizeof kVariables / sizeof *kVariables, &scratch);
            std::wstring value = p.Wide();
            Check(ctx->SetServerVariable(name, p.Flag() ? nullptr : value.c_str()));
            break;
        }
        case 12: {  // AllocateRequestMemory, any size; the first and last byte must be ours
            DWORD size = p.Length(0xFFFFFFFFu);
            auto* m = static_cast<unsigned char*>(ctx->AllocateRequestMemory(size));
            if (m != nullptr && size > 0) {
                m[0] = 1;
                m[size - 1] = 1;
            }
            break;
        }
        case 13: {  // MapPath: NULLs, short buffers, and a size no larger than the buffer
            std::wstring url = p.Wide();
            bool nullUrl = p.Flag(), nullBuf = p.Flag(), nullSize = p.Flag();
            DWORD size = p.Length(kMaxBuffer);
            DWORD given = nullBuf ? p.U32() : size;
            std::unique_ptr<WCHAR[]> buf(nullBuf ? nullptr : new WCHAR[size / sizeof(WCHAR) + 1]);
            HRESULT hr = ctx->MapPath(nullUrl ? nullptr : url.c_str(), buf.get(), nullSize ? nullptr : &given);
            if (SUCCEEDED(hr) && buf) Touch(buf.get(), given);
            Check(hr);
            break;
        }
        case 14: {  // module context containers: real and bogus ids, NULL contexts
            static int bogus;
            HTTP_MODULE_ID ids[] = {id_, nullptr, &bogus, reinterpret_cast<HTTP_MODULE_ID>(uintptr_t(1))};
            HTTP_MODULE_ID id = ids[p.U8() % 4];
            unsigned scope = p.U8() % 3;
            IHttpModuleContextContainer* c = scope == 0   ? ctx->GetModuleContextContainer()
                                             : scope == 1 ? ctx->GetSite()->GetModuleContextContainer()
                                                          : ctx->GetApplication()->GetModuleContextContainer();
            if (c == nullptr) break;
            c->GetModuleContext(id);
            if (scope != 0 || p.Flag()) {
                Check(c->SetModuleContext(nullptr, id));  // shared scopes outlive the request: no real context there
            } else {
                Stored* s = new Stored();
                HRESULT hr = c->SetModuleContext(s, id);
                if (FAILED(hr)) delete s;
                Check(hr);
            }
            break;
        }
        case 15: {  // SetStatus with any code and a reason that may be NULL or carry control bytes
            USHORT code = static_cast<USHORT>(p.U16());
            std::string reason = p.Text();
            USHORT sub = static_cast<USHORT>(p.U16());
            Check(resp->SetStatus(code, p.Flag() ? nullptr : reason.c_str(), sub));
            USHORT status = 0, cchReason = 0;
            PCSTR r = nullptr;
            resp->GetStatus(&status, nullptr, &r, &cchReason);
            if (r) Touch(r, cchReason);
            break;
        }
        case 16: {  // WriteEntityChunks: up to 8 memory chunks, each NULL, empty, odd or real
            WriteChunks(p, resp, false);
            break;
        }
        case 17: {  // WriteEntityChunkByReference at any position
            WriteChunks(p, resp, true);
            break;
        }
        case 18: {  // Redirect
            std::string url = p.Text();
            BOOL reset = p.Flag(), query = p.Flag();
            Check(resp->Redirect(p.Flag() ? nullptr : url.c_str(), reset, query));
            break;
        }
        case 19: {  // Flush, synchronous; Clear, ClearHeaders
            unsigned what = p.U8() % 3;
            if (what == 0) {
                DWORD sent = 0;
                BOOL more = p.Flag();
                Check(resp->Flush(FALSE, more, p.Flag() ? nullptr : &sent));
            } else if (what == 1) {
                resp->Clear();
            } else {
                resp->ClearHeaders();
            }
            break;
        }
        case 20: {  // SetErrorDescription with an unterminated description, or NULL
            std::wstring text = p.Wide();
            if (p.Flag() || text.empty()) {
                PCWSTR d = p.Flag() ? nullptr : text.c_str();
                Check(resp->SetErrorDescription(d, 0, p.Flag()));
            } else {
                std::unique_ptr<WCHAR[]> copy(new WCHAR[text.size()]);
                std::wmemcpy(copy.get(), text.data(), text.size());
                Check(resp->SetErrorDescription(copy.get(), static_cast<DWORD>(text.size()), p.Flag()));
            }
            DWORD cch = 0;
            if (PCWSTR d = resp->GetErrorDescription(&cch)) TouchWide(d, cch);
            break;
        }
        case 21:  // fragment cache: a few names only, so a long run cannot grow it without bound
            Fragments(p);
            break;
        case 22: {  // IHttpServer odds and ends: preconditions, interfaces, file info, kernel cache
            std::wstring text = p.Wide();
            switch (p.U8() % 4) {
            case 0: {
                BOOL unknown = FALSE;
                PCWSTR precondition = p.Flag() ? nullptr : text.c_str();
                server_->SatisfiesPrecondition(precondition, p.Flag() ? nullptr : &unknown);
                break;
            }
            case 1: {
                PVOID out = nullptr;
                auto version = static_cast<HTTP_SERVER_INTERFACE_VERSION>(p.U32());
                Check(server_->GetExtendedInterface(version, p.Flag() ? nullptr : &out));
                break;
            }
            case 2:
                FileInfo(ctx, p, text);
                break;
            default:
                Check(server_->FlushKernelCache(p.Flag() ? nullptr : text.c_str()));
                break;
            }
            break;
        }
        default:  // walk what the host exposes now, mid-program
            WalkRequest(req->GetRawHttpRequest());
            WalkResponse(resp->GetRawHttpResponse());
            break;
        }
    }

    void WriteChunks(Program& p, IHttpResponse* resp, bool byReference) {
        HTTP_DATA_CHUNK chunks[8];
        std::memset(chunks, 0, sizeof chunks);
        unsigned n = p.U8() % 9;
        for (unsigned i = 0; i < n; i++) {
            HTTP_DATA_CHUNK& c = chunks[i];
            unsigned kind = p.U8() % 5;
            c.DataChunkType = kind == 4 ? static_cast<HTTP_DATA_CHUNK_TYPE>(p.U8()) : HttpDataChunkFromMemory;
            std::string text = p.Text();
            if (kind == 0) {
                c.FromMemory.BufferLength = p.Length(0xFFFFFFFFu);  // with a NULL buffer
            } else if (kind == 1) {
                c.FromMemory.pBuffer = Owned("", false);
            } else if (kind != 4) {
                c.FromMemory.pBuffer = Owned(text, kind == 3);
                c.FromMemory.BufferLength = static_cast<ULONG>(text.size());
            }
        }
        bool nullChunks = p.Flag();
        if (byReference) {
            LONG at = static_cast<LONG>(p.U8() % 4 == 0 ? p.U32() : p.U8() % 4) - 1;
            Check(resp->WriteEntityChunkByReference(nullChunks ? nullptr : chunks, at));
            return;
        }
        DWORD count = p.U8() % 4 == 0 ? p.U32() : n;
        if (!nullChunks && count > n) count = n;  // never claim chunks the array lacks
        DWORD sent = 0;
        BOOL async = p.Flag(), more = p.Flag();
        Check(resp->WriteEntityChunks(nullChunks ? nullptr : chunks, count, async, more, p.Flag() ? nullptr : &sent));
    }

    void Fragments(Program& p) {
        static const PCWSTR kNames[] = {L"f0", L"f1", L"f2", L"", nullptr};
        PCWSTR name = kNames[p.U8() % 5];
        switch (p.U8() % 3) {
        case 0: {
            std::string text = p.Text();
            HTTP_DATA_CHUNK c;
            std::memset(&c, 0, sizeof c);
            c.DataChunkType = HttpDataChunkFromMemory;
            c.FromMemory.pBuffer = p.Flag() ? nullptr : Owned(text, p.Flag());
            c.FromMemory.BufferLength = c.FromMemory.pBuffer ? static_cast<ULONG>(text.size()) : p.Length(0xFFFFFFFFu);
            Check(server_->AddFragmentToCache(p.Flag() ? nullptr : &c, name));
            break;
        }
        case 1: {
            DWORD size = p.Length(kMaxBuffer), copied = 0;
            bool nullBuf = p.Flag();
            std::unique_ptr<BYTE[]> buf(nullBuf ? nullptr : new BYTE[size ? size : 1]);
            DWORD given = nullBuf ? p.Length(0xFFFFFFFFu) : size;
            HRESULT hr = server_->ReadFragmentFromCache(name, buf.get(), given, p.Flag() ? nullptr : &copied);
            if (SUCCEEDED(hr) && buf) Touch(buf.get(), copied);
            Check(hr);
            break;
        }
        default:
            Check(server_->RemoveFragmentFromCache(name));
            break;
        }
    }

    // FileInfo asks for a file under the site root (names reduced to safe characters) or a
    // path the host must refuse: NULL, empty, relative.
    void FileInfo(IHttpContext* ctx, Program& p, const std::wstring& text) {
        std::wstring path;
        unsigned mode = p.U8() % 4;
        if (mode == 0) {
            PCWSTR root = ctx->GetApplication()->GetApplicationPhysicalPath();
            path = root ? std::wstring(root) : std::wstring();
            path += L'/';
            for (WCHAR c : text) path += (c >= L'a' && c <= L'z') ? c : L'_';
        } else if (mode == 1) {
            path = text;
            if (!path.empty() && path[0] == L'/') path[0] = L'_';
        }
        IHttpFileInfo* info = nullptr;
        bool nullOut = p.Flag();
        HRESULT hr = server_->GetFileInfo(mode == 3 ? nullptr : path.c_str(), nullptr, nullptr, nullptr, nullptr,
                                          p.Flag(), nullOut ? nullptr : &info);
        Check(hr);
        if (info) info->DereferenceCacheData();
    }

    static void WalkRequest(const HTTP_REQUEST* r) {
        if (r == nullptr) return;
        Touch(r->pRawUrl, r->RawUrlLength);
        Touch(r->pUnknownVerb, r->UnknownVerbLength);
        TouchWide(r->CookedUrl.pFullUrl, r->CookedUrl.FullUrlLength / sizeof(WCHAR));
        TouchWide(r->CookedUrl.pHost, r->CookedUrl.HostLength / sizeof(WCHAR));
        TouchWide(r->CookedUrl.pAbsPath, r->CookedUrl.AbsPathLength / sizeof(WCHAR));
        TouchWide(r->CookedUrl.pQueryString, r->CookedUrl.QueryStringLength / sizeof(WCHAR));
        WalkHeaders(r->Headers.KnownHeaders, HttpHeaderRequestMaximum, r->Headers.pUnknownHeaders,
                    r->Headers.UnknownHeaderCount);
    }

    static void WalkResponse(const HTTP_RESPONSE* r) {
        if (r == nullptr) return;
        Touch(r->pReason, r->ReasonLength);
        WalkHeaders(r->Headers.KnownHeaders, HttpHeaderResponseMaximum, r->Headers.pUnknownHeaders,
                    r->Headers.UnknownHeaderCount);
    }

    static void WalkHeaders(const HTTP_KNOWN_HEADER* known, int n, const HTTP_UNKNOWN_HEADER* unknown, USHORT count) {
        for (int i = 0; i < n; i++) Touch(known[i].pRawValue, known[i].RawValueLength);
        for (USHORT i = 0; unknown != nullptr && i < count; i++) {
            Touch(unknown[i].pName, unknown[i].NameLength);
            Touch(unknown[i].pRawValue, unknown[i].RawValueLength);
        }
    }

    HTTP_MODULE_ID id_;
    IHttpServer* server_;
    bool ran_ = false;
    unsigned failed_ = 0;
    std::vector<std::unique_ptr<char[]>> keep_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    auto* f = new (std::nothrow) fx::FactoryOf<FuzzApiModule, HTTP_MODULE_ID, IHttpServer*>(info->GetId(), server);
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER | RQ_LOG_REQUEST, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
