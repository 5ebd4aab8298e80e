// fixture.h - small helpers shared by the test fixtures in this folder.
//
// Header-only and not a module itself; every fixture includes it after
// <httpserv.h>. All helpers are `inline` so each .so gets its own hidden copy.
#ifndef IISHOST_TESTDATA_FIXTURE_H
#define IISHOST_TESTDATA_FIXTURE_H

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#ifndef ERROR_HANDLE_EOF
#define ERROR_HANDLE_EOF 38L
#endif
#ifndef ERROR_INVALID_INDEX
#define ERROR_INVALID_INDEX 1413L
#endif
#ifndef ERROR_BAD_CONFIGURATION
#define ERROR_BAD_CONFIGURATION 1610L
#endif
#ifndef E_PENDING
#define E_PENDING ((HRESULT)0x8000000AL)
#endif

namespace fx {

// Utf8 converts n wide characters (WCHAR is 32-bit on Linux, UTF-16 on
// Windows) to UTF-8. Invalid code points become U+FFFD.
inline std::string Utf8(PCWSTR s, size_t n) {
    std::string out;
    if (s == nullptr) return out;
    for (size_t i = 0; i < n; i++) {
        unsigned long c = static_cast<unsigned long>(s[i]);
        if (sizeof(WCHAR) == 2 && c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
            unsigned long lo = static_cast<unsigned long>(s[i + 1]);
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            }
        }
        if ((c >= 0xD800 && c < 0xE000) || c > 0x10FFFF) c = 0xFFFD;
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

inline std::string Utf8(PCWSTR s) { return s ? Utf8(s, wcslen(s)) : std::string(); }

// Wide widens an ASCII string (all fixture URLs and names are ASCII).
inline std::wstring Wide(const std::string& s) { return std::wstring(s.begin(), s.end()); }

// Hex formats an HRESULT the way every fixture reports it: 0x%08X.
inline std::string Hex(HRESULT hr) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(hr));
    return buf;
}

// AbsPath is the cooked URL's path (no query string), as UTF-8.
inline std::string AbsPath(IHttpContext* ctx) {
    const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
    if (raw == nullptr) return std::string();
    return Utf8(raw->CookedUrl.pAbsPath, raw->CookedUrl.AbsPathLength / sizeof(WCHAR));
}

// Query is the raw URL's text after the first '?', or "" when there is none.
inline std::string Query(IHttpContext* ctx) {
    const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
    if (raw == nullptr || raw->pRawUrl == nullptr) return std::string();
    std::string url(raw->pRawUrl, raw->RawUrlLength);
    size_t q = url.find('?');
    return q == std::string::npos ? std::string() : url.substr(q + 1);
}

// QueryParam returns the value of name in an a=b&c=d query (no unescaping).
inline std::string QueryParam(const std::string& query, const std::string& name) {
    size_t pos = 0;
    while (pos <= query.size()) {
        size_t amp = query.find('&', pos);
        if (amp == std::string::npos) amp = query.size();
        std::string pair = query.substr(pos, amp - pos);
        size_t eq = pair.find('=');
        if (pair.substr(0, eq) == name) return eq == std::string::npos ? std::string() : pair.substr(eq + 1);
        pos = amp + 1;
    }
    return std::string();
}

// Header returns a request header's value, or "" when it is absent.
inline std::string Header(IHttpContext* ctx, PCSTR name) {
    USHORT len = 0;
    PCSTR v = ctx->GetRequest()->GetHeader(name, &len);
    return v ? std::string(v, len) : std::string();
}

// MemoryChunk copies text into request memory and describes it as one memory chunk, so the
// bytes outlive the caller whatever the host does with the chunk.
inline HTTP_DATA_CHUNK MemoryChunk(IHttpContext* ctx, const std::string& text) {
    HTTP_DATA_CHUNK chunk;
    std::memset(&chunk, 0, sizeof chunk);
    chunk.DataChunkType = HttpDataChunkFromMemory;
    void* mem = ctx->AllocateRequestMemory(static_cast<DWORD>(text.size()));
    if (mem == nullptr) return chunk;
    std::memcpy(mem, text.data(), text.size());
    chunk.FromMemory.pBuffer = mem;
    chunk.FromMemory.BufferLength = static_cast<ULONG>(text.size());
    return chunk;
}

// Write appends body to the response as one memory chunk.
inline HRESULT Write(IHttpContext* ctx, const std::string& body) {
    if (body.empty()) return S_OK;
    HTTP_DATA_CHUNK chunk = MemoryChunk(ctx, body);
    if (chunk.FromMemory.pBuffer == nullptr) return E_OUTOFMEMORY;
    DWORD sent = 0;
    return ctx->GetResponse()->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent, nullptr);
}

// Threads counts the threads a fixture starts, so its Terminate can wait for them: the race
// runtime's exit must not meet a running module thread (docs/design.md, "Facts").
inline std::atomic<int>& Threads() {
    static std::atomic<int> count{0};
    return count;
}

// Run starts a counted, detached thread.
template <class Fn> void Run(Fn fn) {
    Threads()++;
    std::thread([fn]() mutable {
        fn();
        Threads()--;
    }).detach();
}

// AwaitThreads waits up to five seconds for every thread Run started.
inline void AwaitThreads() {
    for (int i = 0; i < 5000 && Threads().load() > 0; i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// Reply sets status 200 and Content-Type text/plain, then writes body.
inline HRESULT Reply(IHttpContext* ctx, const std::string& body) {
    IHttpResponse* resp = ctx->GetResponse();
    resp->SetStatus(200, "OK");
    resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
    return Write(ctx, body);
}

// Factory makes one Module per request and frees itself at Terminate, which is all most
// fixtures need from a factory.
template <class Module> class Factory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new Module();
        return S_OK;
    }
    void Terminate() override { delete this; }
};

// FactoryOf makes one Module per request from arguments kept since registration (the server,
// the module's id, ...), and frees itself at Terminate.
template <class Module, class... Args> class FactoryOf final : public IHttpModuleFactory {
public:
    explicit FactoryOf(Args... args) : args_(args...) {}
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = Make(std::index_sequence_for<Args...>{});
        return S_OK;
    }
    void Terminate() override { delete this; }

private:
    template <size_t... I> Module* Make(std::index_sequence<I...>) { return new Module(std::get<I>(args_)...); }
    std::tuple<Args...> args_;
};

// ThreadedFactory is Factory for modules that start threads with Run: Terminate waits for them.
template <class Module> class ThreadedFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new Module();
        return S_OK;
    }
    void Terminate() override {
        AwaitThreads();
        delete this;
    }
};

}  // namespace fx

#endif  // IISHOST_TESTDATA_FIXTURE_H
