// Raising global notifications that carry a provider object: the chain walks the plan list of
// the event's bit and stops at GL_NOTIFICATION_HANDLED (DESIGN §5).
#include <exception>

#include "host.h"

namespace iishost {

bool RaiseGlobal(HostInstance *host, DWORD event, const std::function<GLOBAL_NOTIFICATION_STATUS(CGlobalModule *)> &call)
{
    int bit = __builtin_ctz(event);
    for (int32_t index : host->plan[IIS_LIST_GLOBAL + bit]) {
        ModuleEntry *m = host->modules[index];
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        try {
            status = call(m->global);
        } catch (const std::exception &e) {
            Log(host, 3, m->name, std::string("exception escaped a global notification: ") + e.what());
        } catch (...) {
            Log(host, 3, m->name, "non-standard exception escaped a global notification");
        }
        if (status == GL_NOTIFICATION_HANDLED) {
            return true;
        }
    }
    return false;
}

} // namespace iishost
