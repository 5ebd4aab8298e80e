// IHttpRequest (http_request.cpp, http_request_body.cpp).
#pragma once

#include "bridge.h"
#include "forward.h"

namespace iishost {

class HostRequest : public IHttpRequest4Stub {
public:
    RequestState *st = nullptr;
    HTTP_REQUEST *GetRawHttpRequest() override;
    const HTTP_REQUEST *GetRawHttpRequest() const override;
    PCSTR GetHeader(PCSTR name, USHORT *length) const override;
    PCSTR GetHeader(HTTP_HEADER_ID id, USHORT *length) const override;
    HRESULT SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT DeleteHeader(PCSTR name) override;
    HRESULT DeleteHeader(HTTP_HEADER_ID id) override;
    PCSTR GetHttpMethod() const override;
    HRESULT SetHttpMethod(PCSTR method) override;
    HRESULT SetUrl(PCWSTR url, DWORD length, BOOL resetQuery) override;
    HRESULT SetUrl(PCSTR url, DWORD length, BOOL resetQuery) override;
    BOOL GetUrlChanged() const override;
    PSOCKADDR GetLocalAddress() const override;
    PSOCKADDR GetRemoteAddress() const override;
    HRESULT ReadEntityBody(void *buffer, DWORD size, BOOL async, DWORD *received, BOOL *pending) override;
    HRESULT ReadEntityBody(void *buffer, DWORD size, BOOL async, PFN_ASYNC_COMPLETION callback, void *context,
                           DWORD *received, BOOL *pending) override;
    HRESULT ReadEntityBody(void *buffer, DWORD size, BOOL async, ULONG flags, DWORD *received, BOOL *pending) override;
    HRESULT InsertEntityBody(void *buffer, DWORD size) override;
    DWORD GetRemainingEntityBytes() override;
    void GetHttpVersion(USHORT *major, USHORT *minor) const override;
    HRESULT GetClientCertificate(HTTP_SSL_CLIENT_CERT_INFO **info, BOOL *negotiated) override;
    DWORD GetSiteId() const override;
};

// Result codes of body reads and sends done by Go (bridge.h, iis_request_io_done).
enum IoResult { kIoDone = 0, kIoEndOfBody = 1, kIoFailed = -1, kIoTooLarge = -2, kIoCancelled = -3, kIoBadBody = -4 };

// Accounts for n bytes Go read from the client into buffer (code an IoResult) and raises
// RQ_READ_ENTITY; *received is what the reader gets.
HRESULT AfterBodyRead(RequestState *st, int32_t code, uint32_t n, void *buffer, DWORD size, DWORD *received);

// Parses the client's address the first time anything needs it.
void EnsureAddresses(const RequestState *st);
// EnsureCookedUrl builds in.raw.CookedUrl on first use; read it through this, never directly.
void EnsureCookedUrl(const RequestState *st);

} // namespace iishost
