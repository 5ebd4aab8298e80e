// staticedit.cpp - fixture: a module that edits what the static file handler answers, as
// compression, footer and rewrite modules do.
//
// Contract:
//   RQ_MAP_PATH: counts calls and records the URL; with ?remap, maps the request to
//     <physical dir>/other.txt instead.
//   RQ_SEND_RESPONSE: sets X-Map-Path "<count>:<url>"; with ?tail, appends "-TAIL" with
//     WriteEntityChunks and sets X-Tail-Hr to its HRESULT.
//   RQ_LOG_REQUEST: with ?late, appends "-LATE" and sets X-Late-Hr.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

class StaticEditModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnMapPath(IHttpContext *ctx, IMapPathProvider *provider) override
    {
        mapCalls_++;
        mapUrl_ = fx::Utf8(provider->GetUrl());
        if (fx::Query(ctx).find("remap") != std::string::npos) {
            std::wstring physical = provider->GetPhysicalPath();
            physical = physical.substr(0, physical.rfind(L'/') + 1) + L"other.txt";
            provider->SetPhysicalPath(physical.c_str(), static_cast<DWORD>(physical.size()));
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnSendResponse(IHttpContext *ctx, ISendResponseProvider *) override
    {
        IHttpResponse *resp = ctx->GetResponse();
        std::string mapped = std::to_string(mapCalls_) + ":" + mapUrl_;
        resp->SetHeader("X-Map-Path", mapped.c_str(), static_cast<USHORT>(mapped.size()), TRUE);
        if (fx::Query(ctx).find("tail") != std::string::npos) {
            Append(ctx, "-TAIL", "X-Tail-Hr");
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnLogRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::Query(ctx).find("late") != std::string::npos) {
            Append(ctx, "-LATE", "X-Late-Hr");
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    static void Append(IHttpContext *ctx, const std::string &text, PCSTR header)
    {
        HTTP_DATA_CHUNK chunk = fx::MemoryChunk(ctx, text);
        DWORD sent = 0;
        HRESULT hr = ctx->GetResponse()->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        std::string value = fx::Hex(hr);
        ctx->GetResponse()->SetHeader(header, value.c_str(), static_cast<USHORT>(value.size()), TRUE);
    }

    int mapCalls_ = 0;
    std::string mapUrl_;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<StaticEditModule>(),
                                         RQ_MAP_PATH | RQ_SEND_RESPONSE | RQ_LOG_REQUEST, 0);
}
