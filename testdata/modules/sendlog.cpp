// sendlog.cpp - fixture: ISendResponseProvider's log data (GetLogData, SetLogData,
// GetReadyToLogData) in RQ_SEND_RESPONSE.
//
// Contract: /sendlog?<query> answers "body" with status 201. On the send it sets X-Log:
// "ready=<0|1> method=<m> stem=<uri stem> query=<q> status=<s> agent=<user agent> service=<s>
// verb=<HTTP_VERB> host=<h>". With redact in the query it then replaces the log data with a copy
// whose UriStem is /redacted and writes X-Set: <SetLogData hr>; SetLogData(NULL) goes into
// X-Bad.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

std::string Narrow(PCSTR s, USHORT n) { return s ? std::string(s, n) : std::string(); }

class SendLogModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) != "/sendlog") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        ctx->GetResponse()->SetStatus(201, "Created");
        fx::Write(ctx, "body");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnSendResponse(IHttpContext *ctx, ISendResponseProvider *p) override
    {
        if (fx::AbsPath(ctx) != "/sendlog") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        auto *d = reinterpret_cast<HTTP_LOG_FIELDS_DATA *>(p->GetLogData());
        std::string log = "ready=" + std::to_string(p->GetReadyToLogData() ? 1 : 0) + " method=" +
                          Narrow(d->Method, d->MethodLength) + " stem=" + fx::Utf8(d->UriStem, d->UriStemLength / sizeof(WCHAR)) +
                          " query=" + Narrow(d->UriQuery, d->UriQueryLength) + " status=" + std::to_string(d->ProtocolStatus) +
                          " agent=" + Narrow(d->UserAgent, d->UserAgentLength) + " service=" +
                          Narrow(d->ServiceName, d->ServiceNameLength) + " verb=" + std::to_string(d->MethodNum) +
                          " host=" + Narrow(d->Host, d->HostLength);
        IHttpResponse *resp = ctx->GetResponse();
        resp->SetHeader("X-Log", log.c_str(), static_cast<USHORT>(log.size()), TRUE);
        if (fx::Query(ctx).find("redact") != std::string::npos) {
            auto *copy = static_cast<HTTP_LOG_FIELDS_DATA *>(ctx->AllocateRequestMemory(sizeof(HTTP_LOG_FIELDS_DATA)));
            *copy = *d;
            static const WCHAR stem[] = L"/redacted";
            copy->UriStem = const_cast<PWCHAR>(stem);
            copy->UriStemLength = static_cast<USHORT>((sizeof(stem) / sizeof(WCHAR) - 1) * sizeof(WCHAR));
            std::string set = fx::Hex(p->SetLogData(&copy->Base));
            resp->SetHeader("X-Set", set.c_str(), static_cast<USHORT>(set.size()), TRUE);
            std::string bad = fx::Hex(p->SetLogData(nullptr));
            resp->SetHeader("X-Bad", bad.c_str(), static_cast<USHORT>(bad.size()), TRUE);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<SendLogModule>(), RQ_BEGIN_REQUEST | RQ_SEND_RESPONSE, 0);
}
