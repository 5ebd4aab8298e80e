// A finished request's outcome for the host's access log (iis_request_outcome_get).
#include <string.h>

#include <string>

#include "bridge.h"
#include "forward.h"
#include "module_guard.h"
#include "request_state.h"
#include "upgrade.h"
#include "wide_strings.h"

using namespace iishost;

extern "C" void iis_request_outcome_get(iis_request *req, iis_request_outcome *out)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    memset(out, 0, sizeof(*out));
    out->status = st->out.status;
    out->substatus = st->out.subStatus;
    out->win32_status = Win32Status(st->out.errorToReport);
    try {
        PCWSTR name = st->user ? ModuleCall([st] { return st->user->GetUserName(); }) : nullptr;
        if (name && *name) {
            std::string user = NarrowString(name);
            if (char *copy = st->arena.CopyString(user.data(), user.size())) {
                out->user = iis_bytes{copy, static_cast<uint32_t>(user.size())};
            }
        }
    } catch (...) {
        // A user object that throws logs as anonymous rather than failing the log line.
    }
}
