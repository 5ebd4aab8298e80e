/* Import hooks for modules on Windows (import_hooks_windows.cpp). A module there calls advapi32,
   kernel32 and ole32 through the real windows.h; right after LoadLibrary and before
   RegisterModule the host rewrites that one module's import address table, so that its event-log
   and OutputDebugString calls become host log records and CoCreateInstance of a class the host
   provides (the admin manager) gets the host's object. Everything else goes to Windows.

   The file stands alone (windows.h and the C++ standard library only), so that a test harness
   can compile it with a sink of its own. */
#ifndef IISHOST_IMPORT_HOOKS_H
#define IISHOST_IMPORT_HOOKS_H

#include <stddef.h>
#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where one hooked module's calls go. Strings are UTF-8 (the module's UTF-16 and ANSI code page
   text converted); the sink must not keep them. */
typedef struct iishost_import_sink {
    void *owner;
    void (*event)(void *owner, const char *source, WORD type, WORD category, DWORD event_id, WORD num_strings,
                  const char *const *strings, DWORD data_size);
    void (*debug_string)(void *owner, const char *text);
    /* CoCreateInstance: nonzero (with *hr set, *ppv holding one reference on success) when the
       class is one the host provides; 0 sends the call on to ole32. */
    int (*create_instance)(void *owner, const GUID *clsid, const GUID *iid, void **ppv, HRESULT *hr);
} iishost_import_sink;

/* How many modules can be hooked in one process. A module importing none of the functions
   takes no place. */
#define IISHOST_MAX_HOOKED_MODULES 64

/* Diverts module's imports of RegisterEventSourceA/W, ReportEventA/W, DeregisterEventSource,
   OutputDebugStringA/W and CoCreateInstance (from the system DLLs only) to sink, which is copied.
   Hooking a module again only changes its sink: the last host to load a library receives its
   records. Returns how many import entries now point at the hooks (0 when the module imports
   none of them), or -1 with a message in error when the image is malformed or there is no room. */
int iishost_hook_imports(HMODULE module, const iishost_import_sink *sink, char *error, size_t error_len);

#ifdef __cplusplus
}
#endif

#endif /* IISHOST_IMPORT_HOOKS_H */
