// Response body chunks: memory (copied or by reference) and file byte ranges.
//
// A file chunk's HANDLE is a descriptor on Linux (include/iishost/fileapi.h) and a Win32 handle
// on Windows (host_files.h). The host does not keep the module's handle: at write time it opens
// its own (OwnFileFor: /proc/self/fd, ReOpenFile), so the module may close or seek its handle at
// once and the send still reads the range as it was written. That file has its own offset,
// which Go seeks to use sendfile. When it cannot be opened that way (a write-only handle, no
// /proc), a duplicate is kept instead and marked shared_offset, and Go reads it at offsets.
// Either way the request closes it when it ends.
#include <stdio.h>
#include <string.h>

#include "forward.h"
#include "headers.h"
#include "host_files.h"
#include "http_response.h"
#include "pipeline.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

namespace {

// One chunk checked and ready to add.
struct Prepared {
    iis_bytes bytes = {nullptr, 0};
    bool file = false;
    bool copied = false; // bytes already in request memory (fragment-cache chunks)
    const HTTP_DATA_CHUNK *trailers = nullptr; // a trailers chunk: set as trailers, not body
    iis_file_range range = {-1, 0, 0, 0};
};

// PrepareFile checks a file handle chunk and resolves its range against the file's size now.
HRESULT PrepareFile(const HTTP_DATA_CHUNK &c, Prepared *out)
{
    HostFile file = FileOfModuleHandle(c.FromFileHandle.FileHandle);
    if (file == kNoFile) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE);
    }
    FileFacts info;
    HRESULT hr = StatFile(file, &info);
    if (FAILED(hr)) {
        return hr;
    }
    if (!info.regular) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE); // directories, pipes and devices have no ranges
    }
    uint64_t size = info.size;
    uint64_t offset = c.FromFileHandle.ByteRange.StartingOffset.QuadPart;
    uint64_t length = c.FromFileHandle.ByteRange.Length.QuadPart;
    if (offset > size) {
        return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
    }
    if (length == HTTP_BYTE_RANGE_TO_EOF) {
        length = size - offset;
    } else if (length > size - offset) {
        return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF); // the range must lie within the file when written
    }
    out->file = true;
    out->range.offset = offset;
    out->range.length = length;
    if (length == 0) {
        return S_OK; // nothing to send, nothing to hold open
    }
    bool shared = false;
    HostFile own = kNoFile;
    hr = OwnFileFor(file, &own, &shared);
    if (FAILED(hr)) {
        return hr;
    }
    out->range.fd = own;
    out->range.shared_offset = shared ? 1 : 0;
    return S_OK;
}

HRESULT Prepare(RequestState *st, const HTTP_DATA_CHUNK &c, Prepared *out)
{
    switch (EnumValue(c.DataChunkType)) {
    case HttpDataChunkFromFragmentCache:
    case HttpDataChunkFromFragmentCacheEx:
        out->copied = true; // in request memory already
        return FragmentChunk(st, c, &out->bytes);
    case HttpDataChunkFromMemory:
        if (!c.FromMemory.pBuffer && c.FromMemory.BufferLength) {
            return E_INVALIDARG;
        }
        // A non-null pointer even when empty: a null data pointer marks a file chunk for Go.
        out->bytes = iis_bytes{c.FromMemory.pBuffer ? static_cast<const char *>(c.FromMemory.pBuffer) : "",
                               c.FromMemory.BufferLength};
        return S_OK;
    case HttpDataChunkFromFileHandle:
        return PrepareFile(c, out);
    case HttpDataChunkTrailers: {
        // Checked here, set when every chunk passed: trailers are sent after the body.
        const HTTP_UNKNOWN_HEADER *t = c.Trailers.pTrailers;
        if (c.Trailers.TrailerCount && !t) {
            return E_INVALIDARG;
        }
        for (USHORT i = 0; i < c.Trailers.TrailerCount; i++) {
            if (!t[i].pName || !t[i].NameLength || (!t[i].pRawValue && t[i].RawValueLength) ||
                !ValidHeaderValue(t[i].pName, t[i].NameLength) ||
                (t[i].pRawValue && !ValidHeaderValue(t[i].pRawValue, t[i].RawValueLength))) {
                return E_INVALIDARG;
            }
        }
        out->trailers = &c;
        out->copied = true;
        return S_OK;
    }
    case HttpDataChunkFromWinHttpFastForwarding:
        return E_NOTIMPL; // WinHTTP fast forwarding: a real type this host has nothing behind
    default:
        return E_INVALIDARG;
    }
}

// Discard closes the descriptors of the first n prepared chunks, after a failed write.
void Discard(Prepared *prepared, DWORD n)
{
    for (DWORD i = 0; i < n; i++) {
        if (prepared[i].file) {
            CloseFile(prepared[i].range.fd);
        }
    }
}

} // namespace

HRESULT AddBodyChunks(RequestState *st, const HTTP_DATA_CHUNK *chunks, DWORD count, bool byReference, LONG at,
                      uint64_t *added)
{
    if (added) {
        *added = 0;
    }
    if (!chunks || count == 0) {
        return E_INVALIDARG;
    }
    if (at < -1 || (at >= 0 && static_cast<size_t>(at) > st->out.body.size())) {
        return E_INVALIDARG;
    }
    // Most writes carry a chunk or two: keep them off the heap.
    Prepared few[4];
    std::vector<Prepared> heap;
    if (count > 4) {
        heap.resize(count);
    }
    Prepared *prepared = count > 4 ? heap.data() : few;
    for (DWORD i = 0; i < count; i++) {
        HRESULT hr = Prepare(st, chunks[i], &prepared[i]);
        if (FAILED(hr)) {
            Discard(prepared, i);
            return hr;
        }
    }
    if (!byReference) {
        // IIS copies memory chunks: the module may reuse its buffer as soon as this returns.
        for (DWORD i = 0; i < count; i++) {
            Prepared &p = prepared[i];
            if (p.file || p.copied || p.bytes.len == 0) {
                continue;
            }
            char *copy = static_cast<char *>(st->arena.Allocate(p.bytes.len));
            if (!copy) {
                Discard(prepared, count);
                return E_OUTOFMEMORY;
            }
            memcpy(copy, p.bytes.data, p.bytes.len);
            p.bytes.data = copy;
        }
    }
    size_t where = at < 0 ? st->out.body.size() : static_cast<size_t>(at);
    uint64_t total = 0;
    for (DWORD i = 0; i < count; i++) {
        const Prepared &p = prepared[i];
        iis_bytes chunk = p.bytes;
        if (p.trailers) {
            const HTTP_UNKNOWN_HEADER *t = p.trailers->Trailers.pTrailers;
            for (USHORT k = 0; k < p.trailers->Trailers.TrailerCount; k++) {
                st->out.trailers.Set(st->arena, t[k].pName, t[k].NameLength, t[k].pRawValue ? t[k].pRawValue : "",
                                     t[k].RawValueLength, true);
            }
            continue;
        }
        if (p.file) {
            if (p.range.length == 0) {
                continue;
            }
            st->out.ownedFds.push_back(p.range.fd);
            chunk = iis_bytes{nullptr, static_cast<uint32_t>(st->out.bodyFiles.size())};
            st->out.bodyFiles.push_back(p.range);
        } else if (p.bytes.len == 0 && !byReference) {
            continue; // by reference, even an empty chunk takes its index
        }
        st->out.body.insert(st->out.body.begin() + where++, chunk);
        total += p.file ? p.range.length : p.bytes.len;
    }
    st->out.bodyLength += total;
    if (added) {
        *added = total;
    }
    return S_OK;
}

void ReleaseRequestFiles(RequestState *st)
{
    for (HostFile file : st->out.ownedFds) {
        CloseFile(file);
    }
    st->out.ownedFds.clear();
    st->out.bodyFiles.clear();
    if (st->out.fileInfo) {
        st->out.fileInfo->DereferenceCacheData();
        st->out.fileInfo = nullptr;
    }
}

HRESULT HostResponse::WriteEntityChunkByReference(HTTP_DATA_CHUNK *chunk, LONG insertPosition)
{
    // Documented: the memory is not copied; the module keeps it valid until the request ends.
    HRESULT hr = AddBodyChunks(st, chunk, 1, true, insertPosition, nullptr);
    if (FAILED(hr) || !st->out.bufferingDisabled) {
        return hr;
    }
    return SendNow(st, false, nullptr);
}

HRESULT HostResponse::WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData,
                                        PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent,
                                        BOOL *completionExpected)
{
    return WithCallback(st, async, callback, context, completionExpected,
                        [&] { return WriteEntityChunks(chunks, count, async, moreData, sent, completionExpected); });
}

} // namespace iishost
