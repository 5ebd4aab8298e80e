// The IIS API the host implements, and forward declarations of the host's classes, so a header
// that only points at one need not include its definition.
#pragma once

#include <httpserv.h> // brings windows.h, after winsock2.h on Windows

#include "stubs_gen.h"

namespace iishost {

class AnonymousUser;
class ApplicationProvider;
struct AsyncIo;
class AuthenticationProvider;
struct CallTiming;
struct Completion;
class CompletionInfo;
class ConfigurationChangeProvider;
class ConnectionState;
class ContextSlots;
struct CrashContext;
class CrashScope;
class FileChangeProvider;
class FileMonitor;
class HostApplication;
class HostCachePolicy;
class HostConnection;
class HostContext;
struct HostInstance;
class HostMetadata;
class HostPerfCounters;
class HostRequest;
class HostResponse;
class HostScriptMap;
class HostServer;
class HostSite;
class HostTraceContext;
class MapHandlerProvider;
class MapPathProvider;
struct ModuleEntry;
struct ModuleServices;
class NamedContextContainer;
struct Position;
class PreBeginRequestProvider;
template <class Stub> class Provider;
class ReadEntityProvider;
class ReferencedMetadata;
class RegistrationInfo;
class RequestAllocator;
class RequestContextContainer;
struct RequestState;
class ResolveModulesProvider;
class SendResponseProvider;
struct ServerConfig;
struct ServerVariableOverride;
class SharedContextContainer;
struct SiteRecord;
class StopListeningProvider;
class ThreadCleanupProvider;
struct TlsFacts;
class TraceEventProvider;
struct TraceSubscription;
class UrlInfo;
class UrlInfoTable;
struct UrlScope;
struct VirtualDirectory;
class WatchedCall;
class RequestTrace;
class FileCache;
struct FragmentCache;

} // namespace iishost
