// Where a URL maps on disk (http_context_paths.cpp).
#pragma once

#include <string>

#include "forward.h"

namespace iishost {

// Maps a URL path (absolute, or relative to the request's) under the site's physical path.
std::string PhysicalPathOf(const RequestState *st, const char *url, size_t len);

// HTTP.sys's canonical form of a URL path; false when it climbs above the root.
bool CanonicalUrlPath(const char *url, size_t len, std::string *out);

// PhysicalPathOf, then RQ_MAP_PATH, whose subscribers may change the answer.
std::string MapUrl(RequestState *st, const char *url, size_t len);

} // namespace iishost
