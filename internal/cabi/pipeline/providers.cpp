// The providers request notifications receive (IHttpEventProvider and its kinds), and how they
// record SetErrorStatus. ISendResponseProvider's log data is in provider_send_response_log.cpp.
#include "forward.h"
#include "providers.h"
#include "request_state.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

void RecordErrorStatus(RequestState *st, HRESULT hr)
{
    // It does not stop the pipeline by itself; when the notification returns, a failure with no
    // status of the module's own becomes a 500 (pipeline.cpp, ApplyErrorStatus).
    if (st) {
        st->out.errorToReport = hr;
        st->out.errorReported = FAILED(hr);
    } else {
        char text[64];
        snprintf(text, sizeof(text), "global notification reported error 0x%08X", static_cast<unsigned>(hr));
        Log(nullptr, 2, "", text);
    }
}

void AuthenticationProvider::SetUser(IHttpUser *user)
{
    if (!user) {
        return;
    }
    user->ReferenceUser();
    if (st->user) {
        st->user->DereferenceUser();
    }
    st->user = user;
}

IHttpContext *PreBeginRequestProvider::GetHttpContext() { return &st->context; }

void ReadEntityProvider::GetEntity(PVOID *outBuffer, DWORD *outData, DWORD *outCapacity)
{
    if (outBuffer) {
        *outBuffer = buffer;
    }
    if (outData) {
        *outData = data;
    }
    if (outCapacity) {
        *outCapacity = capacity;
    }
}

void ReadEntityProvider::SetEntity(PVOID newBuffer, DWORD newData, DWORD newCapacity)
{
    if (!newBuffer && newData) {
        return; // nothing to read the data from; the entity stays as it was
    }
    buffer = newBuffer;
    data = newData;
    capacity = newCapacity;
}

HRESULT MapPathProvider::SetPhysicalPath(PCWSTR path, DWORD length)
{
    if (!path) {
        return E_INVALIDARG;
    }
    size_t n = length ? length : wcslen(path);
    WCHAR *copy = static_cast<WCHAR *>(st->arena.Allocate((n + 1) * sizeof(WCHAR)));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    wmemcpy(copy, path, n);
    copy[n] = 0;
    physicalPath = copy;
    return S_OK;
}

// The script name stands for the URL in handler matching and GetScriptName from now on.
HRESULT MapHandlerProvider::SetScriptName(PCWSTR name, DWORD length)
{
    if (!name || length == 0 || name[0] != L'/') {
        return E_INVALIDARG;
    }
    WCHAR *copy = static_cast<WCHAR *>(st->arena.Allocate((length + 1) * sizeof(WCHAR)));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    wmemcpy(copy, name, length);
    copy[length] = 0;
    st->mapping.scriptNameOverride = copy;
    st->mapping.scriptNameOverrideLen = length;
    return S_OK;
}

// The module's script map replaces the configured choice; its modules handle the request.
void MapHandlerProvider::SetScriptMap(IScriptMapInfo *map)
{
    if (!map) {
        return;
    }
    st->mapping.scriptMap = map;
    st->mapping.handlerMapped = false;
    st->mapping.handlerRuns = nullptr;
}

} // namespace iishost
