/*
 * generic_names.h - the body shared by generic_names.c (narrow) and generic_names_unicode.cpp
 * (UNICODE): each generic name the SDK defines for an A/W pair resolves to the form UNICODE
 * selects, and that form does its work (objects by name, module handles and file names,
 * libraries).
 */
#ifndef IISHOST_COMPAT_GENERIC_NAMES_H
#define IISHOST_COMPAT_GENERIC_NAMES_H

#include <string.h>

static void check_generic_names(void)
{
    TCHAR path[4096];
    HMODULE self = NULL, libm;
    HANDLE mutex, opened, event, eventEx, semaphore, semaphoreEx;

    /* Kernel objects, created and then found by name. */
    mutex = CreateMutex(NULL, TRUE, TEXT("iishost-generic-mutex"));
    CHECK(mutex != NULL);
    opened = OpenMutex(SYNCHRONIZE, FALSE, TEXT("iishost-generic-mutex"));
    CHECK(opened != NULL);
    CHECK(ReleaseMutex(mutex));
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(opened));
    CHECK(CloseHandle(opened));
    CHECK(CloseHandle(mutex));
    mutex = CreateMutexEx(NULL, NULL, 0, SYNCHRONIZE);
    CHECK(mutex != NULL && CloseHandle(mutex));

    event = CreateEvent(NULL, TRUE, FALSE, TEXT("iishost-generic-event"));
    CHECK(event != NULL);
    opened = OpenEvent(EVENT_MODIFY_STATE, FALSE, TEXT("iishost-generic-event"));
    CHECK(opened != NULL && SetEvent(opened));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(opened) && CloseHandle(event));
    eventEx = CreateEventEx(NULL, NULL, CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
    CHECK_EQ(WaitForSingleObject(eventEx, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(eventEx));

    semaphore = CreateSemaphore(NULL, 1, 2, TEXT("iishost-generic-semaphore"));
    CHECK(semaphore != NULL);
    opened = OpenSemaphore(SEMAPHORE_ALL_ACCESS, FALSE, TEXT("iishost-generic-semaphore"));
    CHECK(opened != NULL);
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(opened) && CloseHandle(semaphore));
    semaphoreEx = CreateSemaphoreEx(NULL, 0, 1, NULL, 0, SEMAPHORE_ALL_ACCESS);
    CHECK_EQ(WaitForSingleObject(semaphoreEx, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(semaphoreEx));

    /* Modules: the program's own file, then a library loaded and freed by name. */
    CHECK(GetModuleFileName(NULL, path, 4096) > 0);
    CHECK(path[0] == TEXT('/'));
    CHECK(GetModuleHandle(NULL) != NULL);
    CHECK(GetModuleHandleEx(0, NULL, &self) && self == GetModuleHandle(NULL));
    libm = LoadLibrary(TEXT("libm.so.6"));
    CHECK(libm != NULL && GetProcAddress(libm, "cos") != NULL);
    CHECK(libm != NULL && FreeLibrary(libm));
    libm = LoadLibraryEx(TEXT("libm.so.6"), NULL, 0);
    CHECK(libm != NULL && FreeLibrary(libm));
    SetLastError(0);
    CHECK(LoadLibrary(TEXT("/no/such/library.dll")) == NULL);
    CHECK_EQ(GetLastError(), ERROR_MOD_NOT_FOUND);
}

#endif /* IISHOST_COMPAT_GENERIC_NAMES_H */
