/*
 * process.h - the CRT's thread functions legacy Windows code starts threads
 * with: _beginthreadex/_endthreadex and _beginthread/_endthread, on
 * CreateThread (iishost/kernel_objects.h), so the handle _beginthreadex
 * returns works with WaitForSingleObject, GetExitCodeThread and CloseHandle.
 *
 * As in the CRT: _beginthreadex returns 0 on failure and _beginthread
 * returns (uintptr_t)-1, both with errno set (EINVAL for a NULL routine,
 * EAGAIN when no thread could start). _beginthread's handle closes itself
 * when the thread ends, so it must not be closed or waited on.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <process.h>
#else
#ifndef IISHOST_PROCESS_H
#define IISHOST_PROCESS_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "iishost/msvc_keywords.h"
#include "iishost/kernel_objects.h"

typedef unsigned(__stdcall *_beginthreadex_proc_type)(void *);
typedef void(__cdecl *_beginthread_proc_type)(void *);

/* DWORD is unsigned int here, so an _beginthreadex routine is a thread start routine as it is. */
static __inline__ uintptr_t _beginthreadex(void *_Security, unsigned _StackSize,
                                           _beginthreadex_proc_type _StartAddress, void *_ArgList,
                                           unsigned _InitFlag, unsigned *_ThrdAddr)
{
    HANDLE h;
    DWORD id = 0;
    if (_StartAddress == NULL) {
        errno = EINVAL;
        return 0;
    }
    h = CreateThread((LPSECURITY_ATTRIBUTES)_Security, _StackSize, _StartAddress, _ArgList, _InitFlag, &id);
    if (h == NULL) {
        errno = GetLastError() == ERROR_INVALID_PARAMETER ? EINVAL : EAGAIN;
        return 0;
    }
    if (_ThrdAddr != NULL)
        *_ThrdAddr = id;
    return (uintptr_t)h;
}

__attribute__((__noreturn__)) static __inline__ void _endthreadex(unsigned _ReturnCode)
{
    ExitThread(_ReturnCode);
}

/* The routine and argument of an _beginthread thread, freed by the thread. */
typedef struct iishost_beginthread_args {
    _beginthread_proc_type start;
    void *arg;
} iishost_beginthread_args;

static __inline__ DWORD WINAPI iishost_beginthread_main(LPVOID p)
{
    iishost_beginthread_args a = *(iishost_beginthread_args *)p;
    free(p);
    a.start(a.arg);
    return 0;
}

static __inline__ uintptr_t _beginthread(_beginthread_proc_type _StartAddress, unsigned _StackSize, void *_ArgList)
{
    iishost_beginthread_args *a;
    HANDLE h;
    if (_StartAddress == NULL) {
        errno = EINVAL;
        return (uintptr_t)-1;
    }
    a = (iishost_beginthread_args *)malloc(sizeof(*a));
    if (a == NULL) {
        errno = EAGAIN;
        return (uintptr_t)-1;
    }
    a->start = _StartAddress;
    a->arg = _ArgList;
    h = CreateThread(NULL, _StackSize, iishost_beginthread_main, a, 0, NULL);
    if (h == NULL) {
        free(a);
        errno = EAGAIN;
        return (uintptr_t)-1;
    }
    CloseHandle(h); /* the running thread keeps its object until it ends */
    return (uintptr_t)h;
}

__attribute__((__noreturn__)) static __inline__ void _endthread(void)
{
    ExitThread(0);
}

#endif /* IISHOST_PROCESS_H */
#endif /* _WIN32 */
