package host

// Names of notification bits, for log records.
var (
	requestNotificationNames = map[int]string{
		0: "BeginRequest", 1: "AuthenticateRequest", 2: "AuthorizeRequest", 3: "ResolveRequestCache",
		4: "MapRequestHandler", 5: "AcquireRequestState", 6: "PreExecuteRequestHandler", 7: "ExecuteRequestHandler",
		8: "ReleaseRequestState", 9: "UpdateRequestCache", 10: "LogRequest", 11: "EndRequest",
		27: "SendResponseStatusAndHeaders", 28: "CustomNotification", 29: "SendResponse", 30: "ReadEntity", 31: "MapPath",
	}
	globalNotificationNames = map[int]string{
		1: "StopListening", 2: "CacheCleanup", 4: "CacheOperation", 5: "HealthCheck", 6: "ConfigurationChange",
		7: "FileChange", 8: "PreBeginRequest", 9: "ApplicationStart", 10: "ApplicationResolveModules",
		11: "ApplicationStop", 12: "RSCAQuery", 13: "TraceEvent", 14: "CustomNotification", 15: "ThreadCleanup",
		16: "ApplicationPreload", 17: "SuspendProcess",
	}
	priorityNames = [...]string{"FIRST", "HIGH", "MEDIUM", "LOW", "LAST"}
)

// Global notification bits the host raises itself.
const (
	glStopListening    = 0x00000002
	glApplicationStart = 0x00000200
	glResolveModules   = 0x00000400
	glApplicationStop  = 0x00000800
)

// describeMask lists a mask's notifications, with any priority other than MEDIUM.
func describeMask(mask uint32, names map[int]string, priority *[32]uint8) []string {
	var out []string
	for bit := range 32 {
		if mask&(1<<bit) == 0 {
			continue
		}
		name, ok := names[bit]
		if !ok {
			name = "bit" + string(rune('0'+bit/10)) + string(rune('0'+bit%10))
		}
		if p := priority[bit]; int(p) < len(priorityNames) && p != 2 {
			name += "(" + priorityNames[p] + ")"
		}
		out = append(out, name)
	}
	return out
}
