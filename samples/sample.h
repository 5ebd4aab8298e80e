// sample.h: the two helpers several samples share. Header-only; include it after <httpserv.h>.
#ifndef IISHOST_SAMPLES_SAMPLE_H
#define IISHOST_SAMPLES_SAMPLE_H

#include <cstring>
#include <cwchar>
#include <string>

namespace sample {

// PathIs is true when the request path is exactly `path` (the query string is not part of it).
// The cooked URL is wide, and its lengths are in bytes.
inline bool PathIs(IHttpContext* ctx, const wchar_t* path) {
    const HTTP_COOKED_URL& url = ctx->GetRequest()->GetRawHttpRequest()->CookedUrl;
    const size_t len = wcslen(path);
    return url.pAbsPath != NULL && url.AbsPathLength == len * sizeof(WCHAR) &&
           wmemcmp(url.pAbsPath, path, len) == 0;
}

// Write appends text to the response as one memory chunk in request memory, which lives until
// the request ends, so the chunk may point at it however late the host sends it.
inline HRESULT Write(IHttpContext* ctx, const std::string& text) {
    if (text.empty()) return S_OK;
    void* mem = ctx->AllocateRequestMemory(static_cast<DWORD>(text.size()));
    if (mem == NULL) return E_OUTOFMEMORY;
    memcpy(mem, text.data(), text.size());
    HTTP_DATA_CHUNK chunk;
    chunk.DataChunkType = HttpDataChunkFromMemory;
    chunk.FromMemory.pBuffer = mem;
    chunk.FromMemory.BufferLength = static_cast<ULONG>(text.size());
    DWORD sent = 0;
    return ctx->GetResponse()->WriteEntityChunks(&chunk, 1, FALSE, TRUE, &sent);
}

}  // namespace sample

#endif  // IISHOST_SAMPLES_SAMPLE_H
