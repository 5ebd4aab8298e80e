/*
 * main.c - kernel objects across translation units of one program: handles
 * made here are used by other.cpp (C++) and the other way round, and a
 * thread started here with CreateThread ends through ExitThread called in
 * other.cpp, which must find the thread's object (iishost_kthread_self is
 * one variable for the whole link unit), and a name given in one unit is
 * found from the other (one list of names per link unit). Built with
 * -fvisibility=hidden, as modules are. Prints PASS last.
 */
#include <windows.h>

#include "../check.h"

/* other.cpp */
extern HANDLE other_create_event(void);
extern DWORD other_wait(HANDLE h, DWORD ms);
extern DWORD WINAPI other_thread_exits(LPVOID p);
extern DWORD WINAPI other_thread_duplicates_self(LPVOID p);
extern HANDLE other_open_named(void);

int main(void)
{
    HANDLE ev = other_create_event(), th, dup = NULL;
    DWORD code = 0;
    CHECK(ev != NULL);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CHECK(SetEvent(ev));
    CHECK_EQ(other_wait(ev, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(ev));

    th = CreateThread(NULL, 0, other_thread_exits, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(th, 20000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, 55);
    CHECK(CloseHandle(th));

    th = CreateThread(NULL, 0, other_thread_duplicates_self, &dup, 0, NULL);
    CHECK_EQ(WaitForSingleObject(th, 20000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, 1);
    CHECK(dup == th); /* the duplicate names this thread's object */
    CHECK_EQ(other_wait(dup, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(dup));
    CHECK(CloseHandle(th));

    ev = CreateEventA(NULL, TRUE, FALSE, "kobj-tu-event");
    CHECK(other_open_named() == ev);
    CHECK(CloseHandle(ev));
    CHECK(CloseHandle(ev));
    return check_finish();
}
