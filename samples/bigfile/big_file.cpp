// big_file.cpp: streams large files from disk without holding them in memory.
//
// Shows: IHttpContext::GetPhysicalPath; opening a file with CreateFileW and
// sizing it with GetFileSizeEx (iishost's fileapi.h: a HANDLE is a file
// descriptor); DisableBuffering so that what is written goes out at once; and a
// single HTTP_DATA_CHUNK of type HttpDataChunkFromFileHandle covering the whole
// file (HTTP_BYTE_RANGE_TO_EOF). The host reads the file straight to the socket
// (sendfile on Linux), so serving a 4 GiB file costs no more memory than a small
// one. The handle may be closed as soon as WriteEntityChunks returns: the host
// keeps its own.
//
// Serves GET and HEAD for paths under /big/, mapped under the site root; a file
// that cannot be opened (missing, a folder) is 404. Every other path goes on.
//
// Try it (it is not in the default configuration, so load it with -module):
//   scripts/build-module.sh samples/bigfile/big_file.cpp /tmp/big_file.so
//   mkdir -p /tmp/site/big && truncate -s 1G /tmp/site/big/one.bin
//   go run ./cmd/iishost -root /tmp/site -module BigFile=/tmp/big_file.so
//   curl -o /dev/null -w '%{size_download}\n' http://127.0.0.1:8080/big/one.bin

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdio>
#include <cstring>
#include <cwchar>
#include <new>

namespace {

const wchar_t kPrefix[] = L"/big/";

// Ends the request with a short plain-text status.
REQUEST_NOTIFICATION_STATUS Fail(IHttpResponse* resp, USHORT status, PCSTR reason) {
    resp->Clear();
    resp->SetStatus(status, reason);
    return RQ_NOTIFICATION_FINISH_REQUEST;
}

class BigFileModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        const HTTP_COOKED_URL& url = ctx->GetRequest()->GetRawHttpRequest()->CookedUrl;
        const size_t prefix = wcslen(kPrefix);
        if (url.pAbsPath == NULL || url.AbsPathLength < prefix * sizeof(WCHAR) ||
            wmemcmp(url.pAbsPath, kPrefix, prefix) != 0) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpResponse* resp = ctx->GetResponse();
        PCSTR method = ctx->GetRequest()->GetHttpMethod();
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
            return Fail(resp, 405, "Method Not Allowed");
        }

        // The host has already resolved "." and ".." segments, so the path stays under the root.
        DWORD length = 0;
        PCWSTR physical = ctx->GetPhysicalPath(&length);
        HANDLE file = CreateFileW(physical, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                  FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
        if (file == INVALID_HANDLE_VALUE) {
            return Fail(resp, 404, "Not Found");
        }
        LARGE_INTEGER size;
        if (!GetFileSizeEx(file, &size)) {
            CloseHandle(file);
            return Fail(resp, 500, "Internal Server Error");
        }

        // The length goes out with the headers, before the body is read: the client sees how
        // much is coming, and the host can hand the file to the kernel in one piece.
        char contentLength[24];
        snprintf(contentLength, sizeof(contentLength), "%lld", size.QuadPart);
        resp->SetHeader(HttpHeaderContentType, "application/octet-stream", 24, TRUE);
        resp->SetHeader(HttpHeaderContentLength, contentLength, (USHORT)strlen(contentLength), TRUE);
        resp->DisableBuffering();

        HTTP_DATA_CHUNK chunk;
        memset(&chunk, 0, sizeof(chunk));
        chunk.DataChunkType = HttpDataChunkFromFileHandle;
        chunk.FromFileHandle.FileHandle = file;
        chunk.FromFileHandle.ByteRange.StartingOffset.QuadPart = 0;
        chunk.FromFileHandle.ByteRange.Length.QuadPart = HTTP_BYTE_RANGE_TO_EOF;
        DWORD sent = 0;
        HRESULT hr = resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        CloseHandle(file);
        if (FAILED(hr) && !ctx->GetResponseHeadersSent()) {
            return Fail(resp, 500, "Internal Server Error");
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class BigFileFactory : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) BigFileModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* pModuleInfo, IHttpServer*) {
    BigFileFactory* factory = new (std::nothrow) BigFileFactory();
    if (factory == NULL) {
        return E_OUTOFMEMORY;
    }
    return pModuleInfo->SetRequestNotifications(factory, RQ_EXECUTE_REQUEST_HANDLER, 0);
}
