// other.cpp - the C++ half of the two-unit kernel-object check (see main.c).
#include <windows.h>

extern "C" {

HANDLE other_create_event(void) { return CreateEventW(nullptr, FALSE, FALSE, nullptr); }

DWORD other_wait(HANDLE h, DWORD ms) { return WaitForSingleObject(h, ms); }

DWORD WINAPI other_thread_exits(LPVOID)
{
    ExitThread(55);
}

DWORD WINAPI other_thread_duplicates_self(LPVOID p)
{
    HANDLE *out = static_cast<HANDLE *>(p);
    return DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), out, 0, FALSE,
                           DUPLICATE_SAME_ACCESS)
               ? 1
               : 0;
}

HANDLE other_open_named(void) { return OpenEventW(SYNCHRONIZE, FALSE, L"kobj-tu-event"); }
}
