// tlsvars.cpp - fixture: what a module sees of TLS.
//
// Contract: every request is answered 200 text/plain at RQ_EXECUTE_REQUEST_HANDLER with lines
//   NAME=<narrow value>            for HTTPS, SERVER_PORT_SECURE, HTTPS_KEYSIZE,
//                                  HTTPS_SECRETKEYSIZE, HTTPS_SERVER_SUBJECT, HTTPS_SERVER_ISSUER,
//                                  CERT_FLAGS, CERT_SUBJECT, CERT_ISSUER, CERT_SERIALNUMBER,
//                                  CERT_COOKIE, CERT_KEYSIZE (or "NAME=ERR 0x%08X")
//   getcert=<0x%08X> negotiated=<0|1> info=<null|set>
//   certsize=<CertEncodedSize> certflags=<CertFlags> token=<null|set> denied=<0|1> der=<hex DER>
//                                  (this line only when info is set)
//   nullargs=<0x%08X of GetClientCertificate(NULL, NULL)>
//   ssl=null, or ssl=<ConnectionKeySize>,<ServerCertKeySize>,<ServerCertSubjectSize>,
//     <pServerCertSubject>,<SslClientCertNegotiated>,<client=null|same|other> (same: the
//     pointer GetClientCertificate gave)
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

const char* const kNames[] = {"HTTPS",       "SERVER_PORT_SECURE", "HTTPS_KEYSIZE",     "HTTPS_SECRETKEYSIZE",
                              "HTTPS_SERVER_SUBJECT", "HTTPS_SERVER_ISSUER", "CERT_FLAGS", "CERT_SUBJECT",
                              "CERT_ISSUER", "CERT_SERIALNUMBER", "CERT_COOKIE", "CERT_KEYSIZE"};

std::string HexBytes(const unsigned char* p, unsigned long n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned long i = 0; i < n; i++) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

class TlsVarsModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string out;
        for (const char* name : kNames) {
            PCSTR v = nullptr;
            DWORD cch = 0;
            HRESULT hr = ctx->GetServerVariable(name, &v, &cch);
            out += std::string(name) + "=" + (FAILED(hr) ? "ERR " + fx::Hex(hr) : std::string(v ? v : "")) + "\n";
        }
        IHttpRequest* req = ctx->GetRequest();
        HTTP_SSL_CLIENT_CERT_INFO* info = nullptr;
        BOOL negotiated = TRUE;
        HRESULT hr = req->GetClientCertificate(&info, &negotiated);
        out += "getcert=" + fx::Hex(hr) + " negotiated=" + (negotiated ? "1" : "0") + " info=" + (info ? "set" : "null") + "\n";
        if (info) {
            out += "certsize=" + std::to_string(info->CertEncodedSize) + " certflags=" + std::to_string(info->CertFlags) +
                   " token=" + (info->Token ? "set" : "null") + " denied=" + (info->CertDeniedByMapper ? "1" : "0") +
                   " der=" + HexBytes(info->pCertEncoded, info->CertEncodedSize) + "\n";
        }
        out += "nullargs=" + fx::Hex(req->GetClientCertificate(nullptr, nullptr)) + "\n";
        const HTTP_SSL_INFO* ssl = req->GetRawHttpRequest()->pSslInfo;
        if (!ssl) {
            out += "ssl=null\n";
        } else {
            out += "ssl=" + std::to_string(ssl->ConnectionKeySize) + "," + std::to_string(ssl->ServerCertKeySize) + "," +
                   std::to_string(ssl->ServerCertSubjectSize) + "," +
                   std::string(ssl->pServerCertSubject, ssl->ServerCertSubjectSize) + "," +
                   std::to_string(ssl->SslClientCertNegotiated) + ",client=" +
                   (!ssl->pClientCertInfo ? "null" : ssl->pClientCertInfo == info ? "same" : "other") + "\n";
        }
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new fx::Factory<TlsVarsModule>(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
