/* The doors between Go and the C++ host objects. Plain C so that cgo can read it. */
#ifndef IISHOST_CABI_BRIDGE_H
#define IISHOST_CABI_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of priority levels (FIRST, HIGH, MEDIUM, LOW, LAST) and notification bits per mask. */
#define IIS_PRIORITY_COUNT 5
#define IIS_MASK_BITS 32

/* Plan list ids: deterministic stage s has its notifications in list 2s and its
   post-notifications in 2s+1; RQ_SEND_RESPONSE is IIS_LIST_SEND_RESPONSE; global event bit b is
   IIS_LIST_GLOBAL + b. */
#define IIS_STAGE_COUNT 12
#define IIS_LIST_SEND_RESPONSE 24
#define IIS_LIST_MAP_PATH 25
#define IIS_LIST_CUSTOM 26
#define IIS_LIST_READ_ENTITY 27
#define IIS_LIST_GLOBAL 32
#define IIS_LIST_COUNT (IIS_LIST_GLOBAL + IIS_MASK_BITS)

/* What a module asked for in RegisterModule. Priorities are 0 (FIRST) .. 4 (LAST) per bit. */
typedef struct iis_registration {
    int32_t hr;
    uint32_t request_mask;
    uint32_t post_mask;
    uint32_t global_mask;
    uint8_t request_priority[IIS_MASK_BITS];
    uint8_t post_priority[IIS_MASK_BITS];
    uint8_t global_priority[IIS_MASK_BITS];
    char error[512];
} iis_registration;

/* Server-wide facts given once at startup (UTF-8). */
typedef struct iis_server_config {
    const char *app_pool_name;
    const char *config_path;
    uintptr_t go_id; /* passed back with log callbacks */
} iis_server_config;

/* The TLS strings of a request over TLS, in buffer order after the headers (UTF-8; the
   certificates' names as "CN=..., O=..." in their encoded order). */
enum {
    IIS_TLS_SERVER_ISSUER,
    IIS_TLS_SERVER_SUBJECT,
    IIS_TLS_CLIENT_SUBJECT,
    IIS_TLS_CLIENT_ISSUER,
    IIS_TLS_CLIENT_SERIAL, /* hex bytes joined by '-' */
    IIS_TLS_CLIENT_COOKIE, /* hex digest of the client certificate */
    IIS_TLS_CLIENT_DER,    /* the client certificate, DER */
    IIS_TLS_STRINGS
};
#define IIS_TLS_CERT_FLAGS 3u
#define IIS_TLS_CLIENT_ASKED 0x100u /* the handshake asked the client for a certificate */

/* Scalar facts of one request. The strings travel in one flat buffer:
   method, raw URL, decoded path, query (no '?'), host, remote address as "ip:port" (parsed
   only if a module asks), the refusal's reason phrase and page (when refuse_status is set),
   then header_count entries of [uint32 name_len][uint32 value_len][name][value],
   then, when https, the IIS_TLS_STRINGS strings of tls_len's lengths. */
typedef struct iis_request_meta {
    uint32_t method_len, raw_url_len, path_len, query_len, host_len, remote_len;
    uint32_t header_count;
    uint16_t proto_major, proto_minor;
    uint16_t local_port;
    uint8_t local_ip[16];
    uint8_t local_is_v6, https;
    uint8_t release_early; /* Go reads nothing of the request after the send view: when the
                              pipeline ends in one call, iis_request_run releases the modules
                              itself and says so in the view's released */
    uint8_t refuse_close; /* close the connection after the refusal */
    uint32_t site;        /* the index iis_site_add gave the site the request came to */
    /* The host's answer before any module (request filtering, sslFlags), given as a module
       that ends the request at RQ_BEGIN_REQUEST would: RQ_LOG_REQUEST and RQ_END_REQUEST
       still run. 0: no refusal. */
    uint16_t refuse_status, refuse_substatus;
    uint32_t refuse_reason_len, refuse_page_len;
    int64_t content_length; /* -1 when unknown (chunked) */
    uint64_t connection_id; /* names the TCP connection; 0 when unknown */
    uint16_t tls_key_bits;        /* the connection's cipher key bits */
    uint16_t tls_server_key_bits; /* the server certificate's key bits */
    uint32_t tls_client_flags;    /* CERT_FLAGS (1 a client certificate, | 2 its issuer is not
                                     trusted), | IIS_TLS_CLIENT_ASKED */
    uint32_t tls_len[IIS_TLS_STRINGS];
} iis_request_meta;

typedef struct iis_bytes {
    const char *data;
    uint32_t len;
} iis_bytes;

/* A byte range of a file in a response body. fd belongs to the request (closed when it ends):
   a descriptor on Unix, a Win32 handle on Windows (host_files.h). When shared_offset is set it
   shares its file offset with a module's handle, so read it at offsets, never by seeking. */
typedef struct iis_file_range {
    int32_t fd;
    int32_t shared_offset;
    uint64_t offset;
    uint64_t length;
} iis_file_range;

/* What goes on the wire for one send: status line, headers, body chunks. Valid until the
   request changes or is finished. */
typedef struct iis_send_view {
    uint16_t status;
    uint16_t sub_status; /* for the host's metrics and failed-request list; not sent */
    int32_t headers_already_sent; /* a Flush sent them earlier */
    int32_t suppress_headers;
    int32_t need_disconnect;
    int32_t final_send;
    int32_t pending; /* a module went pending: wait for the resume callback, then call iis_request_resume */
    int32_t io_kind; /* with pending: 1 read into io_buffer, 2 write this view; then call iis_request_io_done */
    void *io_buffer;
    uint32_t io_size;
    iis_bytes reason;
    const iis_bytes *headers; /* name, value, name, value, ... */
    uint32_t header_count;
    const iis_bytes *chunks;
    uint32_t chunk_count;
    uint64_t body_length;
    const iis_bytes *trailers; /* name, value, ...; sent after the body of the final send */
    uint32_t trailer_count;
    const iis_file_range *files; /* a chunk whose data is NULL is files[chunk.len] */
    int32_t released; /* iis_request_run has released the modules: do not call
                         iis_request_finish; the view stays valid until the next run */
} iis_send_view;

typedef struct iis_host iis_host;
typedef struct iis_request iis_request;

/* One configured server. Startup: new, register each module, set the plan. */
iis_host *iis_host_new(const iis_server_config *config);
/* Sites, applications and virtual directories, in configuration order, before serving. A
   site's index is the order it was added (0 first); every site needs its "/" application
   with a "/" virtual directory. url is site-relative ("/" or "/app"); physical paths absolute.
   Returns -1 on a bad argument. */
int iis_site_add(iis_host *host, const char *name, uint32_t id);
int iis_application_add(iis_host *host, int site, const char *url, const char *physical_path);
int iis_virtual_directory_add(iis_host *host, int site, const char *url, const char *physical_path);
void iis_host_free(iis_host *host);
int iis_module_register(iis_host *host, const char *name, void *register_module, iis_registration *out);
/* Points a module's iishost_services variable (found with dlsym; slot is its address) at a
   table that turns its event-log and debug output into host log records. */
void iis_module_install_services(iis_host *host, const char *module, void *slot);
#ifdef _WIN32
/* Windows: diverts a module's imports of the event log, OutputDebugString and CoCreateInstance
   (library is its HMODULE) to host log records and the host's admin manager (import_hooks.h).
   Returns how many import entries now point at the host, or -1 with error set. */
int iis_module_hook_imports(iis_host *host, const char *module, void *library, char *error, size_t error_len);
#endif
/* Calls a module's DllMain (the address dlsym found) with DLL_PROCESS_ATTACH and the library's
   load address as hModule; returns what it returned, or 0 when it threw (error then says so). */
int iis_module_dllmain(void *dllmain, char *error, size_t error_len);
/* The configuration document modules read through the admin manager (internal/cabi/admin.go describes
   the buffer); replaces any earlier one. Call before registering modules. */
void iis_host_set_configuration(iis_host *host, const char *buf, size_t len);
void iis_plan_set(iis_host *host, int list, const int32_t *modules, int count);
/* The most one request hands its modules through AllocateRequestMemory and IModuleAllocator,
   in bytes; 0 restores the default. Call before serving. */
#define IIS_DEFAULT_MAX_REQUEST_MEMORY (256ull << 20)
void iis_host_set_request_memory_limit(iis_host *host, uint64_t bytes);
/* Raises a global notification that needs no request; returns 1 when a module handled it. */
int iis_global_notify(iis_host *host, uint32_t event);
/* Raise GL_CONFIGURATION_CHANGE with a changed configuration path, or GL_FILE_CHANGE with a
   changed file's name (UTF-8); return 1 when a module handled it. */
int iis_notify_configuration_change(iis_host *host, const char *path);
int iis_notify_file_change(iis_host *host, const char *path);
/* The counters modules keep with IHttpPerfCounterInfo: the server's (site 0) or the site's;
   out receives IIS_PERF_COUNTER_COUNT values, indexed by counter index. */
#define IIS_PERF_COUNTER_COUNT 64
void iis_perf_counters(iis_host *host, int site, int64_t *out);
/* Time modules spend in notification calls, per notification slot: slot = the notification's
   bit number | post << 5 | global << 6. */
#define IIS_TIMING_SLOTS 128
/* Sums module's calls and nanoseconds into calls[] and nanos[] (IIS_TIMING_SLOTS each);
   nothing for an index out of range. */
void iis_module_timing(iis_host *host, int module, uint64_t *calls, uint64_t *nanos);
/* The notification a timing slot stands for, as log lines name it. */
const char *iis_timing_slot_name(int slot);
/* One <handlers> entry (UTF-8 strings) and the indices of the loaded modules it names. */
typedef struct iis_handler {
    const char *name, *path, *verb, *modules, *script_processor, *managed_type, *precondition;
    uint32_t require_access, resource_type, response_buffer_limit;
    int32_t allow_path_info;
    const int32_t *module_indices;
    int32_t module_count;
} iis_handler;
/* Installs the handler mappings in match order and turns handler mapping on (script_map_info.cpp). */
void iis_handlers_set(iis_host *host, const iis_handler *handlers, int count);
/* URL scopes (<location path="Site/url">): a request whose path is prefix or under it runs the
   scope's request plan lists (below IIS_LIST_GLOBAL) and handler mappings instead of the host's. */
void iis_scope_add(iis_host *host, int site, const char *prefix);
void iis_scope_plan_set(iis_host *host, int site, const char *prefix, int list, const int32_t *modules, int count);
void iis_scope_handlers_set(iis_host *host, int site, const char *prefix, const iis_handler *handlers, int count);
/* The TCP connection numbered id has closed: its connection stored contexts hear
   NotifyDisconnect, and its contexts are cleaned up once no request holds them. */
void iis_connection_closed(iis_host *host, uint64_t id);
/* The directories modules monitor (RegisterFileChangeMonitor), as "id\tpath\n" lines written
   into buf when they fit in cap bytes; returns the bytes the list needs. */
size_t iis_file_monitors(iis_host *host, char *buf, size_t cap);
/* A file under monitor id changed (appeared, changed or went away): raises GL_FILE_CHANGE with
   that monitor; returns 1 when a module handled it, 0 when not, -1 when the monitor is gone. */
int iis_file_monitor_changed(iis_host *host, uint64_t id, const char *file);
void iis_modules_terminate(iis_host *host);
/* One scavenger round of the file cache (stale and expired entries leave it), then
   GL_CACHE_CLEANUP to subscribed global modules. */
void iis_cache_cleanup(iis_host *host);

/* Requests. slot is the Go-side number the callbacks carry. */
iis_request *iis_request_new(iis_host *host, uintptr_t slot);
void iis_request_free(iis_request *req);
/* CanonicalUrlPath for tests that hold it to internal/frontdoor's rule: 1 and the path in out
   (*out_len bytes; cut at cap), or 0 for a path refused. */
int iis_canonical_url_path(const char *url, size_t len, char *out, size_t cap, size_t *out_len);
/* Runs the whole pipeline; returns the final send view, or NULL when nothing is left to send.
   With meta->release_early, a request that ends in this call, holds no files and kept its
   memory in the request state's own block is finished here too (the view's released). */
const iis_send_view *iis_request_run(iis_request *req, const iis_request_meta *meta, const char *strings, size_t strings_len);
/* Continues a parked request after its completion arrived; returns as iis_request_run does. */
const iis_send_view *iis_request_resume(iis_request *req);
/* Reports the deferred I/O a pending view asked for: bytes moved and a result code
   (0 done, 1 end of body, -1 connection failed, -2 body over the limit, -3 cancelled);
   returns as iis_request_run does. */
const iis_send_view *iis_request_io_done(iis_request *req, uint32_t bytes, int32_t code);
/* The client went away while the request was parked. */
void iis_request_client_gone(iis_request *req);
/* The bytes a request state holds: the state and its request memory. */
uint64_t iis_request_footprint(iis_request *req);
/* Gives up on a request whose client left and whose module never completed: logs it, naming the
   module and notification, and says when held (bytes all abandoned requests now hold) reached
   cap. Its state stays alive until iis_request_reclaimed, so that a late completion stays
   harmless. */
void iis_request_abandon(iis_request *req, uint64_t held, uint64_t cap);
/* An abandoned request completed late and finished: its state is in use again. */
void iis_request_reclaimed(iis_request *req);
/* The module call a request's pipeline runs now (elapsed_ms 0 and empty names when none): how
   long it has run, and its module's (valid while the host lives) and notification's names. */
typedef struct iis_running {
    uint64_t call; /* tells one call from the next */
    uint64_t elapsed_ms;
    const char *module;
    const char *notification;
} iis_running;
/* Reads the call without stopping it; once elapsed_ms reaches report_ms, the call's return is
   reported through iisgoCallReturned. Safe from any thread while the request state lives. */
void iis_request_running(iis_request *req, uint64_t report_ms, iis_running *out);
/* Where the request is now: the module call running, else (*parked set) the call that went
   pending while the request waits for its completion; call 0 when neither. Reports nothing to
   the watchdog. Safe from any thread while the request state lives. */
void iis_request_position(iis_request *req, iis_running *out, int32_t *parked);
/* The completion pump (completion_pump.cpp): module threads queue the slots of parked requests
   whose completion arrived and write a byte to wake_fd when the queue was not already signalled;
   Go takes up to capacity slots at a time, and the queue is signalled again once emptied. */
void iis_completion_pump_start(uintptr_t wake_handle);
size_t iis_completion_pump_take(uintptr_t *slots, size_t capacity);
/* Calls a module's LPOVERLAPPED_COMPLETION_ROUTINE with no error, bytes and its context as the
   OVERLAPPED pointer; exceptions stay in C++. */
void iis_run_completion_routine(void *routine, uint32_t bytes, void *context);
/* Releases modules, contexts and request memory once the response is out. */
void iis_request_finish(iis_request *req);
/* What an access log records of a request that has ended, read before iis_request_finish: the
   status and substatus, the Win32 status (the code of a Win32 error the modules reported, else
   0) and the user's name (UTF-8 in request memory, valid until iis_request_finish; empty for
   the anonymous user). */
typedef struct iis_request_outcome {
    uint16_t status, substatus;
    uint32_t win32_status;
    iis_bytes user;
} iis_request_outcome;
void iis_request_outcome_get(iis_request *req, iis_request_outcome *out);

/* Used by the Go fallback handler to write into the module-visible response. */
void iis_fallback_set_status(iis_request *req, uint16_t status, const char *reason, uint32_t reason_len);
int32_t iis_fallback_set_header(iis_request *req, const char *name, uint32_t name_len, const char *value, uint32_t value_len, int replace);
int32_t iis_fallback_write(iis_request *req, const char *data, uint32_t len);
/* Appends length bytes of the open file fd (a Win32 handle on Windows) from offset as a
   file-handle chunk (the request keeps its own; fd may be closed after). Returns an HRESULT. */
int32_t iis_fallback_write_file(iis_request *req, int fd, uint64_t offset, uint64_t length);
/* The physical path of the request's URL, after RQ_MAP_PATH's subscribers had their say
   (UTF-8, valid until the request ends); empty when the URL maps nowhere. */
iis_bytes iis_request_physical_path(iis_request *req);
/* Where the request's URL maps before RQ_MAP_PATH, and in *root the folder of the virtual
   directory it lies in, which a file it maps to must stay under (UTF-8, valid until the
   request ends); both empty when the URL maps nowhere. */
iis_bytes iis_request_directory(iis_request *req, iis_bytes *root);
/* Reads path (UTF-8, len bytes) through the host's file cache, raising GL_CACHE_OPERATION as
   IIS's static file handler does for the file it serves. */
void iis_request_cache_file(iis_request *req, const char *path, size_t len);
/* Bytes modules inserted with InsertEntityBody that no one has read yet, in reading order. */
uint32_t iis_request_inserted_body(iis_request *req, const iis_bytes **chunks);
/* How many body bytes have been read from the client so far. */
uint64_t iis_request_body_read(iis_request *req);

/* Failed-request tracing (request_trace.cpp): start recording a request before
   iis_request_run, keeping at most cap_bytes of records; read the record back before
   iis_request_finish. */
typedef struct iis_trace_view {
    const char *data; /* the records, valid until the request changes */
    uint64_t len;
    uint16_t status, substatus;
    uint32_t hresult;
    uint8_t truncated;       /* records were dropped at the cap */
    uint8_t worst_verbosity; /* of the events raised: 1 critical error ... 5 verbose; 0 none */
} iis_trace_view;
void iis_request_trace_start(iis_request *req, uint32_t cap_bytes);
/* 0 when the request is not traced. */
int iis_request_trace(iis_request *req, iis_trace_view *out);
/* The request headers as modules left them: name, value, name, value, ...; returns the pair count. */
uint32_t iis_request_headers(iis_request *req, const iis_bytes **headers);
/* The current URL path and method, after any module rewrote them. */
iis_bytes iis_request_current_path(iis_request *req);
iis_bytes iis_request_current_method(iis_request *req);
iis_bytes iis_request_current_query(iis_request *req);

/* Coverage of one vtable slot (Itanium order) of a host class, named by the most derived
   interface it implements: 1 implemented, 0 answers E_NOTIMPL, -1 no such host class. */
int iis_coverage(const char *interface_name, int itanium_slot);

#ifdef __cplusplus
}
#endif

#endif
