// fragments.cpp - fixture: the fragment cache (IHttpServer::AddFragmentToCache,
// ReadFragmentFromCache, RemoveFragmentFromCache) and fragment-cache response chunks.
//
// Contract (RQ_BEGIN_REQUEST, path /frag, query op=<op>&name=<name>):
//   op=add&text=<t>          -> stores <t> (a memory chunk); writes "add=<hr>"
//   op=addfile&file=<f>      -> stores the site file <f> (a file-handle chunk, whole file);
//                               writes "addfile=<hr>"
//   op=read&size=<n>         -> reads into an n-byte buffer; writes "read=<hr> copied=<n>
//                               text=<bytes>"
//   op=remove                -> writes "remove=<hr>"
//   op=send[&offset=&length=] -> answers with a HttpDataChunkFromFragmentCache chunk, or
//                               FromFragmentCacheEx with the byte range (length "eof" for
//                               HTTP_BYTE_RANGE_TO_EOF); on failure writes "send=<hr>"
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <string>
#include <vector>

#include "fixture.h"

namespace {

IHttpServer *g_server;

class FragmentModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) != "/frag") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        std::string q = fx::Query(ctx), op = fx::QueryParam(q, "op");
        std::wstring name = fx::Wide(fx::QueryParam(q, "name"));
        if (op == "add") {
            HTTP_DATA_CHUNK c = fx::MemoryChunk(ctx, fx::QueryParam(q, "text"));
            fx::Write(ctx, "add=" + fx::Hex(g_server->AddFragmentToCache(&c, name.c_str())));
        } else if (op == "addfile") {
            std::wstring path = ctx->GetApplication()->GetApplicationPhysicalPath();
            path += L"/" + fx::Wide(fx::QueryParam(q, "file"));
            HANDLE h = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
            HTTP_DATA_CHUNK c;
            std::memset(&c, 0, sizeof c);
            c.DataChunkType = HttpDataChunkFromFileHandle;
            c.FromFileHandle.FileHandle = h;
            c.FromFileHandle.ByteRange.Length.QuadPart = HTTP_BYTE_RANGE_TO_EOF;
            HRESULT hr = g_server->AddFragmentToCache(&c, name.c_str());
            if (h != INVALID_HANDLE_VALUE) {
                CloseHandle(h);
            }
            fx::Write(ctx, "addfile=" + fx::Hex(hr));
        } else if (op == "read") {
            std::vector<BYTE> buf(std::stoul(fx::QueryParam(q, "size")) + 1);
            DWORD copied = 0;
            HRESULT hr = g_server->ReadFragmentFromCache(name.c_str(), buf.data(), static_cast<DWORD>(buf.size() - 1), &copied);
            std::string text = SUCCEEDED(hr) ? std::string(reinterpret_cast<char *>(buf.data()), copied) : "";
            fx::Write(ctx, "read=" + fx::Hex(hr) + " copied=" + std::to_string(copied) + " text=" + text);
        } else if (op == "remove") {
            fx::Write(ctx, "remove=" + fx::Hex(g_server->RemoveFragmentFromCache(name.c_str())));
        } else if (op == "send") {
            wchar_t *stored = static_cast<wchar_t *>(ctx->AllocateRequestMemory(static_cast<DWORD>((name.size() + 1) * sizeof(WCHAR))));
            wmemcpy(stored, name.c_str(), name.size() + 1);
            HTTP_DATA_CHUNK c;
            std::memset(&c, 0, sizeof c);
            std::string offset = fx::QueryParam(q, "offset"), length = fx::QueryParam(q, "length");
            if (offset.empty()) {
                c.DataChunkType = HttpDataChunkFromFragmentCache;
                c.FromFragmentCache.pFragmentName = stored;
                c.FromFragmentCache.FragmentNameLength = static_cast<USHORT>(name.size() * sizeof(WCHAR));
            } else {
                c.DataChunkType = HttpDataChunkFromFragmentCacheEx;
                c.FromFragmentCacheEx.pFragmentName = stored;
                c.FromFragmentCacheEx.ByteRange.StartingOffset.QuadPart = std::stoull(offset);
                c.FromFragmentCacheEx.ByteRange.Length.QuadPart =
                    length == "eof" ? HTTP_BYTE_RANGE_TO_EOF : std::stoull(length);
            }
            DWORD sent = 0;
            HRESULT hr = ctx->GetResponse()->WriteEntityChunks(&c, 1, FALSE, FALSE, &sent);
            if (FAILED(hr)) {
                fx::Write(ctx, "send=" + fx::Hex(hr));
            }
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *server)
{
    g_server = server;
    return info->SetRequestNotifications(new fx::Factory<FragmentModule>(), RQ_BEGIN_REQUEST, 0);
}
