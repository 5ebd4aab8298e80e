// IHttpResponse and building what Go sends (http_response.cpp, http_response_chunks.cpp,
// http_server_fragments.cpp, http_cache_policy.cpp).
#pragma once

#include "bridge.h"
#include "forward.h"

namespace iishost {

class HostResponse : public IHttpResponse4Stub {
public:
    RequestState *st = nullptr;
    HTTP_RESPONSE *GetRawHttpResponse() override;
    const HTTP_RESPONSE *GetRawHttpResponse() const override;
    HRESULT SetStatus(USHORT status, PCSTR reason, USHORT subStatus, HRESULT error, IAppHostConfigException *exception,
                      BOOL trySkipCustomErrors) override;
    void GetStatus(USHORT *status, USHORT *subStatus, PCSTR *reason, USHORT *reasonLength, HRESULT *error,
                   PCWSTR *module, DWORD *notification, IAppHostConfigException **exception,
                   BOOL *trySkipCustomErrors) override;
    HRESULT SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT DeleteHeader(PCSTR name) override;
    HRESULT DeleteHeader(HTTP_HEADER_ID id) override;
    PCSTR GetHeader(PCSTR name, USHORT *length) const override;
    PCSTR GetHeader(HTTP_HEADER_ID id, USHORT *length) const override;
    void Clear() override;
    void ClearHeaders() override;
    HRESULT Flush(BOOL async, BOOL moreData, DWORD *sent, BOOL *completionExpected) override;
    HRESULT Redirect(PCSTR url, BOOL resetStatus, BOOL includeQuery) override;
    HRESULT WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData, DWORD *sent,
                              BOOL *completionExpected) override;
    HRESULT WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData,
                              PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent, BOOL *completionExpected) override;
    HRESULT Flush(BOOL async, BOOL moreData, PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent,
                  BOOL *completionExpected) override;
    HRESULT WriteEntityChunkByReference(HTTP_DATA_CHUNK *chunk, LONG insertPosition) override;
    HRESULT SetErrorDescription(PCWSTR description, DWORD length, BOOL htmlEncode) override;
    PCWSTR GetErrorDescription(DWORD *length) override;
    void SetNeedDisconnect() override;
    void ResetConnection() override;
    void CloseConnection() override;
    void SuppressHeaders() override;
    BOOL GetHeadersSuppressed() const override;
    void DisableBuffering() override;
    void DisableKernelCache(ULONG reason) override;
    BOOL GetKernelCacheEnabled() const override;
    HRESULT SetTrailer(PCSTR name, PCSTR value, USHORT length, BOOL replace) override;
    PCSTR GetTrailer(PCSTR name, USHORT *length) const override;
    HRESULT DeleteTrailer(PCSTR name) override;
    IHttpCachePolicy *GetCachePolicy() override;
};

// Raises RQ_SEND_RESPONSE and builds the view of what is buffered, for a send not yet made.
iis_send_view *PrepareSend(RequestState *st, bool final);

// Settles a send made by Go (code an IoResult): once done, the headers are out and the sent
// body is dropped.
HRESULT AfterSend(RequestState *st, int32_t code, DWORD *sent);

// Raises RQ_SEND_RESPONSE and sends what is buffered now; used by Flush and the final send.
HRESULT SendNow(RequestState *st, bool final, DWORD *sent);

// Drops the buffered body.
void ClearBody(RequestState *st);

// Adds HTTP_DATA_CHUNKs to the body (http_response_chunks.cpp): memory copied into request memory, or
// kept by reference (WriteEntityChunkByReference) at chunk index `at` (-1 appends); file
// handles as byte ranges. All chunks are checked first, so a failure changes nothing.
HRESULT AddBodyChunks(RequestState *st, const HTTP_DATA_CHUNK *chunks, DWORD count, bool byReference, LONG at,
                      uint64_t *added);

// The bytes a fragment-cache chunk names, copied into request memory (http_server_fragments.cpp).
HRESULT FragmentChunk(RequestState *st, const HTTP_DATA_CHUNK &c, iis_bytes *out);

// Closes the descriptors the request's file chunks held and drops its file info.
void ReleaseRequestFiles(RequestState *st);

// Adds the Vary header the cache policy implies, unless a module set one (http_cache_policy.cpp).
void ApplyCachePolicy(RequestState *st);

// Builds the view of status, headers and body that Go writes.
iis_send_view *BuildSendView(RequestState *st, bool final);

// Replaces the response with a plain 500.
void SetErrorResponse(RequestState *st);

} // namespace iishost
