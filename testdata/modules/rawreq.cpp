// rawreq.cpp - fixture: dumps GetRawHttpRequest() and the request getters.
//
// Contract: for path /raw (cooked pAbsPath, any method), at
// RQ_EXECUTE_REQUEST_HANDLER, answers 200 text/plain with these lines in this
// order, then FINISH_REQUEST (other paths: CONTINUE, nothing written):
//   verb=<HTTP_VERB as a decimal number>
//   unknownverb=<pUnknownVerb, UnknownVerbLength bytes; empty if none>
//   rawurl=<pRawUrl, RawUrlLength bytes>
//   fullurl=<CookedUrl.pFullUrl, FullUrlLength/sizeof(WCHAR) chars, as UTF-8>
//   host=<CookedUrl.pHost, HostLength bytes' worth of chars>
//   abspath=<CookedUrl.pAbsPath, AbsPathLength bytes' worth>
//   query=<CookedUrl.pQueryString, QueryStringLength bytes' worth (HTTP.sys includes the '?')>
//   fullurllen=<FullUrlLength, decimal: a byte count, i.e. chars * sizeof(WCHAR)>
//   version=<Version.MajorVersion>.<Version.MinorVersion>
//   remote=<ip>:<port>   from Address.pRemoteAddress
//   local=<ip>:<port>    from Address.pLocalAddress
//   remote2=<ip>:<port>  from IHttpRequest::GetRemoteAddress()
//   local2=<ip>:<port>   from IHttpRequest::GetLocalAddress()
//       (inet_ntop text; IPv6 as "[ip]:port" like Go's net.JoinHostPort;
//        "none" for a NULL pointer, "family=<n>" for another family)
//   known.<id>=<value>   for each i in 0..HttpHeaderRequestMaximum-1 whose
//                        KnownHeaders[i].pRawValue is not NULL, ascending i
//                        (decimal HTTP_HEADER_ID, value RawValueLength bytes)
//   unknown.<name>=<value>  for each pUnknownHeaders entry, in array order
//   method=<GetHttpMethod()>
//   httpversion=<major>.<minor> from GetHttpVersion()
//   remaining=<GetRemainingEntityBytes()> (read before the body is read)
//   siteid=<GetSiteId()>
// Then it reads the entity body with synchronous ReadEntityBody(buf, 7, FALSE,
// &n) until HRESULT_FROM_WIN32(ERROR_HANDLE_EOF), a 0-byte read, or another
// error, and prints:
//   bodyend=eof | zero | toolarge (over 1 MiB read) | <0x%08X of the failing HRESULT>
//   bodyreads=<number of reads that returned S_OK with n > 0>
//   body=<the bytes read, raw; last line, no trailing newline added>
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <new>

#include "fixture.h"

namespace {

std::string Addr(const SOCKADDR* sa) {
    if (sa == nullptr) return "none";
    char ip[INET6_ADDRSTRLEN] = {0};
    if (sa->sa_family == AF_INET) {
        const sockaddr_in* in = reinterpret_cast<const sockaddr_in*>(sa);
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        return std::string(ip) + ":" + std::to_string(ntohs(in->sin_port));
    }
    if (sa->sa_family == AF_INET6) {
        const sockaddr_in6* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        return "[" + std::string(ip) + "]:" + std::to_string(ntohs(in6->sin6_port));
    }
    return "family=" + std::to_string(sa->sa_family);
}

// Str copies a counted narrow string; NULL gives "".
std::string Str(PCSTR s, size_t n) { return s ? std::string(s, n) : std::string(); }

class RawReqModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (fx::AbsPath(ctx) != "/raw") return RQ_NOTIFICATION_CONTINUE;
        IHttpRequest* req = ctx->GetRequest();
        const HTTP_REQUEST* raw = req->GetRawHttpRequest();
        const HTTP_COOKED_URL& cu = raw->CookedUrl;
        const size_t w = sizeof(WCHAR);
        std::string out;
        out += "verb=" + std::to_string(static_cast<int>(raw->Verb)) + "\n";
        out += "unknownverb=" + Str(raw->pUnknownVerb, raw->UnknownVerbLength) + "\n";
        out += "rawurl=" + Str(raw->pRawUrl, raw->RawUrlLength) + "\n";
        out += "fullurl=" + fx::Utf8(cu.pFullUrl, cu.FullUrlLength / w) + "\n";
        out += "host=" + fx::Utf8(cu.pHost, cu.HostLength / w) + "\n";
        out += "abspath=" + fx::Utf8(cu.pAbsPath, cu.AbsPathLength / w) + "\n";
        out += "query=" + fx::Utf8(cu.pQueryString, cu.QueryStringLength / w) + "\n";
        out += "fullurllen=" + std::to_string(cu.FullUrlLength) + "\n";
        out += "version=" + std::to_string(raw->Version.MajorVersion) + "." +
               std::to_string(raw->Version.MinorVersion) + "\n";
        out += "remote=" + Addr(raw->Address.pRemoteAddress) + "\n";
        out += "local=" + Addr(raw->Address.pLocalAddress) + "\n";
        out += "remote2=" + Addr(req->GetRemoteAddress()) + "\n";
        out += "local2=" + Addr(req->GetLocalAddress()) + "\n";
        for (int i = 0; i < HttpHeaderRequestMaximum; i++) {
            const HTTP_KNOWN_HEADER& h = raw->Headers.KnownHeaders[i];
            if (h.pRawValue == nullptr) continue;
            out += "known." + std::to_string(i) + "=" + Str(h.pRawValue, h.RawValueLength) + "\n";
        }
        for (USHORT i = 0; i < raw->Headers.UnknownHeaderCount; i++) {
            const HTTP_UNKNOWN_HEADER& h = raw->Headers.pUnknownHeaders[i];
            out += "unknown." + Str(h.pName, h.NameLength) + "=" + Str(h.pRawValue, h.RawValueLength) + "\n";
        }
        PCSTR method = req->GetHttpMethod();
        out += "method=" + std::string(method ? method : "") + "\n";
        USHORT major = 0, minor = 0;
        req->GetHttpVersion(&major, &minor);
        out += "httpversion=" + std::to_string(major) + "." + std::to_string(minor) + "\n";
        out += "remaining=" + std::to_string(req->GetRemainingEntityBytes()) + "\n";
        out += "siteid=" + std::to_string(req->GetSiteId()) + "\n";

        std::string body;
        std::string end;
        int reads = 0;
        while (end.empty()) {
            char buf[7];
            DWORD n = 0;
            HRESULT hr = req->ReadEntityBody(buf, sizeof buf, FALSE, &n, nullptr);
            if (hr == HRESULT_FROM_WIN32(ERROR_HANDLE_EOF)) {
                end = "eof";
            } else if (FAILED(hr)) {
                end = fx::Hex(hr);
            } else if (n == 0) {
                end = "zero";
            } else {
                reads++;
                body.append(buf, n);
                if (body.size() > (1u << 20)) end = "toolarge";  // a broken host must not loop forever
            }
        }
        out += "bodyend=" + end + "\n";
        out += "bodyreads=" + std::to_string(reads) + "\n";
        out += "body=" + body;
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class RawReqFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) RawReqModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    RawReqFactory* f = new (std::nothrow) RawReqFactory();
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
