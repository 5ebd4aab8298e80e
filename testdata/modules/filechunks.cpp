// filechunks.cpp - fixture: file chunks and chunks by reference in responses.
//
// Contract. Every case runs at RQ_EXECUTE_REQUEST_HANDLER and returns
// FINISH_REQUEST; paths are the cooked pAbsPath, files are named by ?file=
// relative to the site root and opened with CreateFileW (GENERIC_READ,
// OPEN_EXISTING); the module closes its handle right after writing, so the
// host must hold its own. Content-Type is text/plain.
//
// /range?file=f&off=N&len=M|eof   one WriteEntityChunks call with three chunks:
//     memory "[", file range (off, len; "eof" is HTTP_BYTE_RANGE_TO_EOF), memory "]".
//     Header X-Sent: <pcbSent>. On failure: status 500, body "hr=<0x%08X>".
// /errors?file=f    each bad call on its own line "<name> <hr>", after a first
//     good memory chunk "ok\n" (a failed call leaves the body alone):
//     pastend (off 0, len size+1), offpast (off size+1, TO_EOF), badtype (99),
//     fragment (a memory chunk relabelled HttpDataChunkFromFragmentCache), nullbuf (memory NULL, 5 bytes),
//     invalidhandle (INVALID_HANDLE_VALUE), closedhandle (a closed descriptor),
//     dirhandle (the site root opened with FILE_FLAG_BACKUP_SEMANTICS),
//     missing (CreateFileW of "absent.txt": HRESULT_FROM_WIN32(GetLastError())),
//     byref-index (WriteEntityChunkByReference at position 99), byref-null (NULL chunk).
// /byref?file=f     by reference: "B" at -1, "D" at -1, "C" at 1, file range
//     (0, 3) at 0, then a request-memory buffer "x" at -1 that the module changes
//     to "E" after the call (not copied). Body: <3 file bytes>BCDE.
// /stream?file=f&mode=flush|disable   memory "<", file TO_EOF, then Flush(FALSE,
//     TRUE) (mode=flush) or with DisableBuffering() first (mode=disable); then
//     memory ">sent=<GetResponseHeadersSent()>".
// /trailers?file=f  one WriteEntityChunks call: file TO_EOF, then a trailers chunk with
//     X-Check: abc and X-Count: 2; a second call with a trailers chunk whose name is NULL,
//     whose HRESULT goes into the body as "|bad=<hr>".
// /raw?file=f       SuppressHeaders(); memory "HTTP/1.1 200 OK\r\nContent-Length: <size>\r\n
//     X-Raw: 1\r\nConnection: close\r\n\r\n", then the whole file as a file chunk.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

std::wstring SitePath(IHttpContext* ctx, const std::string& name) {
    return std::wstring(ctx->GetApplication()->GetApplicationPhysicalPath()) + L"/" + fx::Wide(name);
}

HTTP_DATA_CHUNK Memory(const char* text) {
    HTTP_DATA_CHUNK c = {};
    c.DataChunkType = HttpDataChunkFromMemory;
    c.FromMemory.pBuffer = const_cast<char*>(text);
    c.FromMemory.BufferLength = static_cast<ULONG>(strlen(text));
    return c;
}

HTTP_DATA_CHUNK File(HANDLE h, ULONGLONG off, ULONGLONG len) {
    HTTP_DATA_CHUNK c = {};
    c.DataChunkType = HttpDataChunkFromFileHandle;
    c.FromFileHandle.FileHandle = h;
    c.FromFileHandle.ByteRange.StartingOffset.QuadPart = off;
    c.FromFileHandle.ByteRange.Length.QuadPart = len;
    return c;
}

class FileChunksModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx), q = fx::Query(ctx);
        IHttpResponse* resp = ctx->GetResponse();
        HANDLE h = CreateFileW(SitePath(ctx, fx::QueryParam(q, "file")).c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr,
                               OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
        LARGE_INTEGER size = {};
        if (h != INVALID_HANDLE_VALUE) GetFileSizeEx(h, &size);
        resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        if (path == "/range") {
            std::string len = fx::QueryParam(q, "len");
            HTTP_DATA_CHUNK chunks[3] = {Memory("["),
                                         File(h, std::stoull(fx::QueryParam(q, "off")),
                                              len == "eof" ? HTTP_BYTE_RANGE_TO_EOF : std::stoull(len)),
                                         Memory("]")};
            DWORD sent = 0;
            HRESULT hr = resp->WriteEntityChunks(chunks, 3, FALSE, FALSE, &sent);
            if (FAILED(hr)) {
                resp->SetStatus(500, "Failed");
                fx::Write(ctx, "hr=" + fx::Hex(hr));
            }
            std::string s = std::to_string(sent);
            resp->SetHeader("X-Sent", s.c_str(), static_cast<USHORT>(s.size()), TRUE);
        } else if (path == "/errors") {
            Errors(ctx, h, static_cast<ULONGLONG>(size.QuadPart));
        } else if (path == "/byref") {
            static char b[] = "B", c[] = "C", d[] = "D";
            HTTP_DATA_CHUNK chunk = Memory(b);
            resp->WriteEntityChunkByReference(&chunk, -1);
            chunk = Memory(d);
            resp->WriteEntityChunkByReference(&chunk);
            chunk = Memory(c);
            resp->WriteEntityChunkByReference(&chunk, 1);
            chunk = File(h, 0, 3);
            resp->WriteEntityChunkByReference(&chunk, 0);
            char* mine = static_cast<char*>(ctx->AllocateRequestMemory(1));
            mine[0] = 'x';
            chunk.DataChunkType = HttpDataChunkFromMemory;
            chunk.FromMemory.pBuffer = mine;
            chunk.FromMemory.BufferLength = 1;
            resp->WriteEntityChunkByReference(&chunk, -1);
            mine[0] = 'E';
        } else if (path == "/stream") {
            if (fx::QueryParam(q, "mode") == "disable") resp->DisableBuffering();
            HTTP_DATA_CHUNK chunks[2] = {Memory("<"), File(h, 0, HTTP_BYTE_RANGE_TO_EOF)};
            DWORD sent = 0;
            resp->WriteEntityChunks(chunks, 2, FALSE, TRUE, &sent);
            if (fx::QueryParam(q, "mode") == "flush") resp->Flush(FALSE, TRUE, &sent);
            fx::Write(ctx, ">sent=" + std::to_string(ctx->GetResponseHeadersSent() ? 1 : 0));
        } else if (path == "/trailers") {
            static const char n1[] = "X-Check", v1[] = "abc", n2[] = "X-Count", v2[] = "2";
            HTTP_UNKNOWN_HEADER t[2] = {{7, 3, n1, v1}, {7, 1, n2, v2}};
            HTTP_DATA_CHUNK chunks[2] = {File(h, 0, HTTP_BYTE_RANGE_TO_EOF), Memory("")};
            chunks[1].DataChunkType = HttpDataChunkTrailers;
            chunks[1].Trailers.TrailerCount = 2;
            chunks[1].Trailers.pTrailers = t;
            DWORD sent = 0;
            resp->WriteEntityChunks(chunks, 2, FALSE, FALSE, &sent);
            HTTP_UNKNOWN_HEADER bad = {3, 1, nullptr, v2};
            chunks[1].Trailers.TrailerCount = 1;
            chunks[1].Trailers.pTrailers = &bad;
            fx::Write(ctx, "|bad=" + fx::Hex(resp->WriteEntityChunks(&chunks[1], 1, FALSE, FALSE, &sent)));
        } else if (path == "/raw") {
            resp->SuppressHeaders();
            std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size.QuadPart) +
                               "\r\nX-Raw: 1\r\nConnection: close\r\n\r\n";
            fx::Write(ctx, head);
            HTTP_DATA_CHUNK chunk = File(h, 0, HTTP_BYTE_RANGE_TO_EOF);
            DWORD sent = 0;
            resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        } else {
            if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
            return RQ_NOTIFICATION_CONTINUE;
        }
        if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    static void Errors(IHttpContext* ctx, HANDLE h, ULONGLONG size) {
        IHttpResponse* resp = ctx->GetResponse();
        std::string out;
        DWORD sent = 0;
        fx::Write(ctx, "ok\n");
        auto one = [&](const char* name, HTTP_DATA_CHUNK chunk) {
            out += std::string(name) + " " + fx::Hex(resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent)) + "\n";
        };
        one("pastend", File(h, 0, size + 1));
        one("offpast", File(h, size + 1, HTTP_BYTE_RANGE_TO_EOF));
        HTTP_DATA_CHUNK bad = Memory("x");
        bad.DataChunkType = static_cast<HTTP_DATA_CHUNK_TYPE>(99);
        one("badtype", bad);
        bad.DataChunkType = HttpDataChunkFromFragmentCache;
        one("fragment", bad);
        HTTP_DATA_CHUNK null = Memory("x");
        null.FromMemory.pBuffer = nullptr;
        null.FromMemory.BufferLength = 5;
        one("nullbuf", null);
        one("invalidhandle", File(INVALID_HANDLE_VALUE, 0, 1));
        HANDLE closed = CreateFileW(SitePath(ctx, fx::QueryParam(fx::Query(ctx), "file")).c_str(), GENERIC_READ, 0,
                                    nullptr, OPEN_EXISTING, 0, nullptr);
        CloseHandle(closed);
        one("closedhandle", File(closed, 0, 1));
        HANDLE dir = CreateFileW(ctx->GetApplication()->GetApplicationPhysicalPath(), GENERIC_READ, 0, nullptr,
                                 OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
        one("dirhandle", File(dir, 0, HTTP_BYTE_RANGE_TO_EOF));
        CloseHandle(dir);
        HANDLE missing = CreateFileW(SitePath(ctx, "absent.txt").c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0,
                                     nullptr);
        out += "missing " + fx::Hex(missing == INVALID_HANDLE_VALUE ? HRESULT_FROM_WIN32(GetLastError()) : S_OK) + "\n";
        HTTP_DATA_CHUNK m = Memory("y");
        out += "byref-index " + fx::Hex(resp->WriteEntityChunkByReference(&m, 99)) + "\n";
        out += "byref-null " + fx::Hex(resp->WriteEntityChunkByReference(nullptr, -1)) + "\n";
        fx::Write(ctx, out);
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new fx::Factory<FileChunksModule>(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
