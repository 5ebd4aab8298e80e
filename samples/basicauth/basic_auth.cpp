// basic_auth.cpp: HTTP Basic authentication for every path under /secure/.
//
// Shows: a module on RQ_AUTHENTICATE_REQUEST that reads the Authorization header,
// decodes it (a small base64 decoder of our own), and refuses with 401 plus a
// WWW-Authenticate challenge by returning RQ_NOTIFICATION_FINISH_REQUEST. Later
// stages up to the handler are skipped, but log and end modules still see the 401.
// The accepted pair comes from IISHOST_BASIC_USER / IISHOST_BASIC_PASSWORD
// (default demo / secret), read once when the module is registered.
// The /secure/ prefix is matched ASCII case-insensitively, as IIS treats URLs.
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl -i http://127.0.0.1:8080/secure/page
//   -> 401 Unauthorized, WWW-Authenticate: Basic realm="iishost"
//   curl -i -u demo:secret http://127.0.0.1:8080/secure/page
//   -> passes authentication; whatever serves /secure/page answers

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <new>
#include <string>

namespace {

const wchar_t kPrefix[] = L"/secure/";  // lower case: compared after folding
const size_t kMaxCredentials = 1024;    // longer headers are refused, not decoded

wchar_t AsciiLower(wchar_t c) { return (c >= L'A' && c <= L'Z') ? c - L'A' + L'a' : c; }

bool PathHasPrefix(IHttpContext* ctx) {
    const HTTP_COOKED_URL& url = ctx->GetRequest()->GetRawHttpRequest()->CookedUrl;
    const size_t prefixLen = wcslen(kPrefix);
    if (url.pAbsPath == NULL || url.AbsPathLength / sizeof(WCHAR) < prefixLen) {
        return false;
    }
    for (size_t i = 0; i < prefixLen; i++) {
        if (AsciiLower(url.pAbsPath[i]) != kPrefix[i]) {
            return false;
        }
    }
    return true;
}

// Value of one base64 symbol, or -1 when the byte is not in the alphabet.
int Base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Decodes standard base64 with '=' padding. Returns false on any malformed input.
bool Base64Decode(const char* in, size_t len, std::string* out) {
    if (len % 4 != 0) {
        return false;
    }
    out->clear();
    for (size_t i = 0; i < len; i += 4) {
        const bool last = i + 4 == len;
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            const char c = in[i + k];
            if (c == '=' && last && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad > 0) {
                return false;  // data after padding
            }
            v[k] = Base64Value(c);
            if (v[k] < 0) {
                return false;
            }
        }
        const unsigned bits = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
        out->push_back((char)(bits >> 16 & 0xFF));
        if (pad < 2) out->push_back((char)(bits >> 8 & 0xFF));
        if (pad < 1) out->push_back((char)(bits & 0xFF));
    }
    return true;
}

// Compares without an early exit, so timing does not reveal how much matched.
bool SameSecret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (size_t i = 0; i < a.size(); i++) {
        diff |= (unsigned char)(a[i] ^ b[i]);
    }
    return diff == 0;
}

// The accepted "user:password", fixed at registration and shared read-only by all requests.
struct Credentials {
    std::string expected;
};

bool Authorized(IHttpRequest* req, const Credentials& creds) {
    USHORT cch = 0;
    PCSTR auth = req->GetHeader(HttpHeaderAuthorization, &cch);
    static const char kScheme[] = "basic ";
    const size_t schemeLen = sizeof(kScheme) - 1;
    if (auth == NULL || cch <= schemeLen || cch > kMaxCredentials) {
        return false;
    }
    for (size_t i = 0; i < schemeLen; i++) {  // the scheme name is case-insensitive
        char c = auth[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != kScheme[i]) {
            return false;
        }
    }
    size_t start = schemeLen;
    while (start < cch && auth[start] == ' ') start++;
    std::string decoded;
    return Base64Decode(auth + start, cch - start, &decoded) && SameSecret(decoded, creds.expected);
}

class BasicAuthModule : public CHttpModule {
public:
    explicit BasicAuthModule(const Credentials* creds) : creds_(creds) {}

    REQUEST_NOTIFICATION_STATUS OnAuthenticateRequest(IHttpContext* pHttpContext,
                                                      IAuthenticationProvider* pProvider) override {
        UNREFERENCED_PARAMETER(pProvider);
        if (!PathHasPrefix(pHttpContext) || Authorized(pHttpContext->GetRequest(), *creds_)) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        static const char kChallenge[] = "Basic realm=\"iishost\"";
        IHttpResponse* resp = pHttpContext->GetResponse();
        resp->SetStatus(401, "Unauthorized");
        resp->SetHeader("WWW-Authenticate", kChallenge, (USHORT)strlen(kChallenge), TRUE);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    const Credentials* creds_;
};

class BasicAuthFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator* pAllocator) override {
        UNREFERENCED_PARAMETER(pAllocator);
        *ppModule = new (std::nothrow) BasicAuthModule(&creds_);
        return *ppModule != NULL ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }

    Credentials creds_;
};

const char* EnvOr(const char* name, const char* fallback) {
    const char* v = getenv(name);
    return v != NULL ? v : fallback;  // set but empty means empty, as the variable says
}

}  // namespace

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo* pModuleInfo,
                                 IHttpServer* pGlobalInfo) {
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    BasicAuthFactory* factory = new (std::nothrow) BasicAuthFactory();
    if (factory == NULL) {
        return E_OUTOFMEMORY;
    }
    // Read the environment once, here: getenv while the host may be changing its
    // environment on another thread would be a data race.
    factory->creds_.expected = std::string(EnvOr("IISHOST_BASIC_USER", "demo")) + ":" +
                               EnvOr("IISHOST_BASIC_PASSWORD", "secret");
    return pModuleInfo->SetRequestNotifications(factory, RQ_AUTHENTICATE_REQUEST, 0);
}
