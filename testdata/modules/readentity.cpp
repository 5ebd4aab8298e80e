// readentity.cpp - fixture: RQ_READ_ENTITY sees and replaces what readers get from the client.
//
// Contract: request header X-Read-Entity chooses what OnReadEntity does with each read:
//   upper  -> upper-cases the bytes in place.
//   double -> replaces them with a buffer (request memory) holding every byte twice, which is
//             longer than the reader's buffer when the read filled it.
//   (none) -> leaves the entity alone.
// Response header X-Read-Entity-Calls counts the notifications.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cctype>
#include <string>

#include "fixture.h"

namespace {

class ReadEntityModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnReadEntity(IHttpContext *ctx, IReadEntityProvider *provider) override
    {
        calls_++;
        std::string calls = std::to_string(calls_);
        ctx->GetResponse()->SetHeader("X-Read-Entity-Calls", calls.c_str(), static_cast<USHORT>(calls.size()), TRUE);
        std::string mode = fx::Header(ctx, "X-Read-Entity");
        PVOID buffer = nullptr;
        DWORD data = 0, capacity = 0;
        provider->GetEntity(&buffer, &data, &capacity);
        char *bytes = static_cast<char *>(buffer);
        if (mode == "upper") {
            for (DWORD i = 0; i < data; i++) {
                bytes[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(bytes[i])));
            }
        } else if (mode == "double") {
            char *twice = static_cast<char *>(ctx->AllocateRequestMemory(data * 2));
            for (DWORD i = 0; i < data; i++) {
                twice[2 * i] = twice[2 * i + 1] = bytes[i];
            }
            provider->SetEntity(twice, data * 2, data * 2);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    int calls_ = 0;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<ReadEntityModule>(), RQ_READ_ENTITY, 0);
}
