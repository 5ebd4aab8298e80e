// mini_host.cpp: a MinGW g++ program (the Windows host's compiler and header view) that loads
// a module DLL and runs one request through it, with host objects from the generated stubs:
//   mini_host.exe MODULE.dll /path
// It prints what the module did: its notifications, the response calls in order, the status
// it returned. Dispose and Terminate are called as the host calls them.
#include <httpserv.h>
#include "stubs_gen.h"

#include <cstdio>
#include <cstring>
#include <cwchar>
#include <string>

namespace {

std::string calls;

struct Registration : iishost::IHttpModuleRegistrationInfoStub {
    IHttpModuleFactory *factory = nullptr;
    DWORD notifications = 0;
    HRESULT SetRequestNotifications(IHttpModuleFactory *f, DWORD n, DWORD) override
    {
        factory = f;
        notifications = n;
        return S_OK;
    }
};

struct Request : iishost::IHttpRequestStub {
    HTTP_REQUEST raw{};
    HTTP_REQUEST *GetRawHttpRequest() override { return &raw; }
    const HTTP_REQUEST *GetRawHttpRequest() const override { return &raw; }
};

struct Response : iishost::IHttpResponseStub {
    void Clear() override { calls += "Clear;"; }
    HRESULT SetStatus(USHORT code, PCSTR reason, USHORT, HRESULT, IAppHostConfigException *, BOOL) override
    {
        calls += "SetStatus " + std::to_string(code) + " " + reason + ";";
        return S_OK;
    }
    HRESULT SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT n, BOOL) override
    {
        calls += "SetHeader #" + std::to_string(id) + " " + std::string(value, n) + ";";
        return S_OK;
    }
    HRESULT SetHeader(PCSTR name, PCSTR value, USHORT n, BOOL) override
    {
        calls += "SetHeader " + std::string(name) + " " + std::string(value, n) + ";";
        return S_OK;
    }
    HRESULT WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD n, BOOL, BOOL, DWORD *sent, BOOL *) override
    {
        calls += "Write";
        for (DWORD i = 0; i < n; i++) {
            if (chunks[i].DataChunkType == HttpDataChunkFromMemory) {
                calls += " " + std::string(static_cast<const char *>(chunks[i].FromMemory.pBuffer), chunks[i].FromMemory.BufferLength);
                *sent += chunks[i].FromMemory.BufferLength;
            }
        }
        calls += ";";
        return S_OK;
    }
};

struct Context : iishost::IHttpContextStub {
    Request request;
    Response response;
    IHttpRequest *GetRequest() override { return &request; }
    IHttpResponse *GetResponse() override { return &response; }
};

struct Provider : iishost::IHttpEventProviderStub {
    void SetErrorStatus(HRESULT hr) override { calls += "SetErrorStatus " + std::to_string(hr) + ";"; }
};

}  // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::printf("usage: mini_host MODULE.dll /path\n");
        return 2;
    }
    HMODULE dll = LoadLibraryA(argv[1]);
    if (dll == NULL) {
        std::printf("LoadLibrary(%s): error %lu\n", argv[1], GetLastError());
        return 2;
    }
    // Through void *: GetProcAddress's FARPROC takes no arguments.
    PFN_REGISTERMODULE reg = reinterpret_cast<PFN_REGISTERMODULE>(reinterpret_cast<void *>(GetProcAddress(dll, "RegisterModule")));
    Registration info;
    iishost::IHttpServerStub server;
    HRESULT hr = reg(12, &info, &server);
    std::printf("RegisterModule: 0x%08lx, notifications 0x%lx\n", static_cast<unsigned long>(hr), static_cast<unsigned long>(info.notifications));

    std::wstring path(argv[2], argv[2] + std::strlen(argv[2]));
    Context ctx;
    ctx.request.raw.CookedUrl.pAbsPath = path.c_str();
    ctx.request.raw.CookedUrl.AbsPathLength = static_cast<USHORT>(path.size() * sizeof(WCHAR));
    CHttpModule *module = nullptr;
    hr = info.factory->GetHttpModule(&module, nullptr);
    Provider provider;
    REQUEST_NOTIFICATION_STATUS status = module->OnBeginRequest(&ctx, &provider);
    module->Dispose();
    info.factory->Terminate();
    std::printf("OnBeginRequest: %s\ncalls: %s\n",
                status == RQ_NOTIFICATION_FINISH_REQUEST ? "finish" : status == RQ_NOTIFICATION_CONTINUE ? "continue" : "other",
                calls.c_str());
    return 0;
}
