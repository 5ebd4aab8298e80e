/* c_module.c: a module written in plain C11. It answers /c with "Hello from C".
 *
 * Shows the C binding of httpserv.h: every interface is a struct whose first
 * member is lpVtbl, so calls read obj->lpVtbl->Method(obj, ...); overloads have
 * distinct C names (SetHeaderById is the HTTP_HEADER_ID form of SetHeader).
 * A C module fills its own vtables: CHttpModule_InitVtbl sets every slot to the
 * default behaviour, then we override OnBeginRequest and Dispose (the C default
 * Dispose frees nothing, because C has no delete).
 *
 * Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
 *   curl -i http://127.0.0.1:8080/c
 *   -> 200, Content-Type: text/plain, X-Module-Language: C, body "Hello from C"
 */

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The per-request module object. It holds nothing but its vtable pointer here;
 * a real module would keep its per-request state after `base`. */
typedef struct CModule {
    CHttpModule base;
} CModule;

/* Filled once in RegisterModule, read-only afterwards, so threads may share it. */
static CHttpModuleVtbl g_moduleVtbl;

static int PathIs(IHttpContext* ctx, const wchar_t* path) {
    IHttpRequest* req = ctx->lpVtbl->GetRequest(ctx);
    const HTTP_REQUEST* raw = req->lpVtbl->GetRawHttpRequest(req);
    size_t len = wcslen(path);
    return raw->CookedUrl.pAbsPath != NULL &&
           raw->CookedUrl.AbsPathLength == len * sizeof(WCHAR) &&
           wmemcmp(raw->CookedUrl.pAbsPath, path, len) == 0;
}

static REQUEST_NOTIFICATION_STATUS CModule_OnBeginRequest(CHttpModule* This, IHttpContext* ctx,
                                                          IHttpEventProvider* provider) {
    static const char kType[] = "text/plain";
    static const char kBody[] = "Hello from C";
    IHttpResponse* resp;
    HTTP_DATA_CHUNK chunk;
    DWORD sent = 0;
    HRESULT hr;

    (void)This;
    if (!PathIs(ctx, L"/c")) {
        return RQ_NOTIFICATION_CONTINUE;
    }
    resp = ctx->lpVtbl->GetResponse(ctx);
    resp->lpVtbl->Clear(resp);
    resp->lpVtbl->SetStatus(resp, 200, "OK", 0, S_OK, NULL, FALSE);
    resp->lpVtbl->SetHeaderById(resp, HttpHeaderContentType, kType, (USHORT)strlen(kType), TRUE);
    resp->lpVtbl->SetHeader(resp, "X-Module-Language", "C", 1, TRUE);

    memset(&chunk, 0, sizeof chunk);
    chunk.DataChunkType = HttpDataChunkFromMemory;
    chunk.FromMemory.pBuffer = (void*)kBody; /* PVOID by the API; not written to */
    chunk.FromMemory.BufferLength = (ULONG)strlen(kBody);
    hr = resp->lpVtbl->WriteEntityChunks(resp, &chunk, 1, FALSE, FALSE, &sent, NULL);
    if (FAILED(hr)) {
        provider->lpVtbl->SetErrorStatus(provider, hr);
    }
    return RQ_NOTIFICATION_FINISH_REQUEST;
}

static void CModule_Dispose(CHttpModule* This) {
    free(This); /* base is the first member, so This is the malloc'd CModule */
}

static HRESULT Factory_GetHttpModule(IHttpModuleFactory* This, CHttpModule** ppModule,
                                     IModuleAllocator* pAllocator) {
    CModule* m;
    (void)This;
    (void)pAllocator;
    m = (CModule*)malloc(sizeof *m);
    if (m == NULL) {
        *ppModule = NULL;
        return E_OUTOFMEMORY;
    }
    m->base.lpVtbl = &g_moduleVtbl;
    *ppModule = &m->base;
    return S_OK;
}

static void Factory_Terminate(IHttpModuleFactory* This) {
    (void)This; /* the factory is static: nothing to free */
}

static const IHttpModuleFactoryVtbl g_factoryVtbl = {
    .GetHttpModule = Factory_GetHttpModule,
    .Terminate = Factory_Terminate,
};
static IHttpModuleFactory g_factory = {&g_factoryVtbl};

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo* pModuleInfo,
                                 IHttpServer* pGlobalInfo) {
    (void)dwServerVersion;
    (void)pGlobalInfo;
    CHttpModule_InitVtbl(&g_moduleVtbl);
    g_moduleVtbl.OnBeginRequest = CModule_OnBeginRequest;
    g_moduleVtbl.Dispose = CModule_Dispose;
    return pModuleInfo->lpVtbl->SetRequestNotifications(pModuleInfo, &g_factory, RQ_BEGIN_REQUEST, 0);
}
