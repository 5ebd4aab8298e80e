/*
 * memoryapi.c - VirtualAlloc/VirtualFree and GetFileType as module code uses them: reserve then
 * commit pieces, protections that really hold (a write to a read-only or reserved page faults),
 * decommit giving zero pages back, release, the refused cases with their errors, and the type
 * of files, pipes, sockets, terminals and non-descriptors.
 */
#define _GNU_SOURCE /* sigsetjmp, socketpair */
#include <windows.h>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

static sigjmp_buf faultJump;

static void on_fault(int sig)
{
    (void)sig;
    siglongjmp(faultJump, 1);
}

/* Whether writing one byte at p faults. */
static int write_faults(volatile char *p)
{
    if (sigsetjmp(faultJump, 1) != 0)
        return 1;
    *p = 1;
    return 0;
}

/* Whether reading one byte at p faults. */
static int read_faults(volatile char *p)
{
    if (sigsetjmp(faultJump, 1) != 0)
        return 1;
    (void)*p;
    return 0;
}

static void test_virtual(void)
{
    SYSTEM_INFO si;
    size_t page;
    char *base, *p;
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    GetSystemInfo(&si);
    page = si.dwPageSize;

    /* Reserve and commit in one call: zeroed, writable, page-aligned. */
    p = (char *)VirtualAlloc(NULL, 3 * page + 1, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    CHECK(p != NULL && ((uintptr_t)p % si.dwAllocationGranularity) == 0);
    CHECK(p[0] == 0 && p[4 * page - 1] == 0); /* rounded up to whole pages */
    p[0] = 'x';
    CHECK(VirtualFree(p, 0, MEM_RELEASE));

    /* Reserve 8 pages: no access until committed. */
    base = (char *)VirtualAlloc(NULL, 8 * page, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(base != NULL);
    CHECK(read_faults(base) && read_faults(base + 7 * page));
    p = (char *)VirtualAlloc(base + 2 * page + 10, page, MEM_COMMIT, PAGE_READWRITE);
    CHECK(p == base + 2 * page); /* the page holding the address */
    CHECK(!write_faults(base + 2 * page) && !write_faults(base + 3 * page + 9)); /* spans 2 pages */
    CHECK(write_faults(base + page) && write_faults(base + 4 * page));
    base[2 * page] = 42;
    CHECK(VirtualAlloc(base + 2 * page, page, MEM_COMMIT, PAGE_READWRITE) == base + 2 * page);
    CHECK_EQ(base[2 * page], 42); /* committing again keeps the contents */

    /* Read-only pages read and refuse writes. */
    CHECK(VirtualAlloc(base + 5 * page, page, MEM_COMMIT, PAGE_READONLY) == base + 5 * page);
    CHECK(!read_faults(base + 5 * page) && write_faults(base + 5 * page));

    /* MEM_RESET keeps the pages committed. */
    CHECK(VirtualAlloc(base + 2 * page, page, MEM_RESET, PAGE_NOACCESS) == base + 2 * page);
    CHECK(!write_faults(base + 2 * page));

    /* Decommit: no access, then zero when committed again. */
    CHECK(VirtualFree(base + 2 * page, page, MEM_DECOMMIT));
    CHECK(write_faults(base + 2 * page));
    CHECK(VirtualAlloc(base + 2 * page, page, MEM_COMMIT, PAGE_READWRITE) != NULL);
    CHECK_EQ(base[2 * page], 0);
    CHECK(VirtualFree(base, 0, MEM_DECOMMIT)); /* the whole reservation */
    CHECK(read_faults(base + 5 * page));

    /* Release needs the base and a zero size. */
    SetLastError(0);
    CHECK(!VirtualFree(base + page, 0, MEM_RELEASE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(!VirtualFree(base, page, MEM_RELEASE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(VirtualFree(base, 0, MEM_RELEASE));
    CHECK(!VirtualFree(base, 0, MEM_RELEASE)); /* already gone */
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);

    /* A commit outside any reservation, and the requests Linux cannot honour. */
    CHECK(VirtualAlloc(base, page, MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(VirtualAlloc(NULL, 0, MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(VirtualAlloc(NULL, page, MEM_COMMIT, PAGE_READONLY | PAGE_READWRITE) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(VirtualAlloc(NULL, page, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD) == NULL);
    CHECK_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
    CHECK(VirtualAlloc(NULL, page, MEM_COMMIT | MEM_RESERVE | MEM_LARGE_PAGES, PAGE_READWRITE) == NULL);
    CHECK_EQ(GetLastError(), ERROR_NOT_SUPPORTED);

    /* A reservation at a chosen free address; taking it twice fails. */
    base = (char *)VirtualAlloc(NULL, 4 * page, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(base != NULL && VirtualFree(base, 0, MEM_RELEASE));
    p = (char *)VirtualAlloc(base, 2 * page, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    CHECK(p == base);
    CHECK(VirtualAlloc(base, page, MEM_RESERVE, PAGE_NOACCESS) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(p != NULL && VirtualFree(p, 0, MEM_RELEASE));
}

static void test_file_type(void)
{
    char path[] = "/tmp/iishost-filetype-XXXXXX";
    int fd = mkstemp(path), fds[2], sv[2], tty;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);

    CHECK(fd >= 0);
    CHECK_EQ(GetFileType((HANDLE)(intptr_t)fd), FILE_TYPE_DISK);
    CHECK_EQ(GetLastError(), NO_ERROR);
    close(fd);
    unlink(path);
    CHECK(pipe(fds) == 0);
    CHECK_EQ(GetFileType((HANDLE)(intptr_t)fds[0]), FILE_TYPE_PIPE);
    close(fds[0]);
    close(fds[1]);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK_EQ(GetFileType((HANDLE)(intptr_t)sv[0]), FILE_TYPE_PIPE);
    close(sv[0]);
    close(sv[1]);
    tty = open("/dev/null", O_RDONLY);
    CHECK_EQ(GetFileType((HANDLE)(intptr_t)tty), FILE_TYPE_CHAR);
    close(tty);

    CHECK_EQ(GetFileType((HANDLE)(intptr_t)tty), FILE_TYPE_UNKNOWN); /* closed */
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(GetFileType(ev), FILE_TYPE_UNKNOWN);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(GetFileType(INVALID_HANDLE_VALUE), FILE_TYPE_UNKNOWN);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CloseHandle(ev);
}

int main(void)
{
    test_virtual();
    test_file_type();
    return check_finish();
}
