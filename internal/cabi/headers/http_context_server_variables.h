// Server variables (http_context_server_variables.cpp).
#pragma once

#include "forward.h"

namespace iishost {

// Server variables (http_context_server_variables.cpp).
HRESULT LookupServerVariable(RequestState *st, const char *name, const char **narrow, size_t *narrowLen);

// Sets a custom server variable (not a header one) to a value in request memory.
HRESULT SetServerVariableOverride(RequestState *st, const char *name, const char *value, size_t len);

} // namespace iishost
