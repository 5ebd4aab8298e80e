// Child requests (http_context_children.cpp).
#pragma once

#include "forward.h"

namespace iishost {

// Child requests (http_context_children.cpp). ChildSend replaces a child's send: its output goes into its
// parent's response, flushed unless EXECUTE_FLAG_BUFFER_RESPONSE. ResumeRunningChild continues
// a parked asynchronous child; false while it is still parked. ReleaseClones frees a request's
// clones at its end.
HRESULT ChildSend(RequestState *child, DWORD *sent);

bool ResumeRunningChild(RequestState *st);

void ReleaseClones(RequestState *st);

const RequestState *RootOf(const RequestState *st);

} // namespace iishost
