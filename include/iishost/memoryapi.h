/*
 * iishost/memoryapi.h - VirtualAlloc and VirtualFree on mmap: address space
 * reserved (MEM_RESERVE, no access, no memory charged), committed
 * (MEM_COMMIT, the PAGE_* protection), decommitted (pages dropped, zero when
 * committed again), reset (MEM_RESET, contents may be discarded) and
 * released (MEM_RELEASE of the whole reservation).
 *
 * Addresses and sizes round to the page, the allocation granularity that
 * GetSystemInfo reports. Each reservation is recorded in a list shared by
 * the module's translation units (weak and hidden, as iishost_last_error),
 * so VirtualFree and a later commit know its bounds. What Linux cannot do
 * fails as Windows fails for a request it refuses: PAGE_GUARD pages (a
 * one-shot access exception) and MEM_LARGE_PAGES, MEM_PHYSICAL and
 * MEM_WRITE_WATCH fail with ERROR_NOT_SUPPORTED. PAGE_NOCACHE and
 * PAGE_WRITECOMBINE are device caching hints with no meaning for process
 * memory; they are accepted and have no effect.
 */
#ifndef IISHOST_MEMORYAPI_H
#define IISHOST_MEMORYAPI_H

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wintypes.h"
#include "winerror.h"
#include "kernel32.h"

#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_FREE 0x00010000
#define MEM_PRIVATE 0x00020000
#define MEM_RESET 0x00080000
#define MEM_TOP_DOWN 0x00100000
#define MEM_WRITE_WATCH 0x00200000
#define MEM_PHYSICAL 0x00400000
#define MEM_RESET_UNDO 0x01000000
#define MEM_LARGE_PAGES 0x20000000

#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD 0x100
#define PAGE_NOCACHE 0x200
#define PAGE_WRITECOMBINE 0x400

/* Linux ABI values, spelled out because glibc hides the names in strict ISO C (see kernel32.h). */
#define IISHOST_MAP_ANONYMOUS 0x20
#define IISHOST_MAP_NORESERVE 0x4000
#define IISHOST_MAP_FIXED_NOREPLACE 0x100000
#define IISHOST_MADV_DONTNEED 4
#define IISHOST_MADV_FREE 8
#if !defined(__cplusplus) && defined(__GLIBC__) && !defined(__USE_MISC)
extern int madvise(void *, size_t, int);
#endif

/* One reservation: [base, base + size). */
typedef struct iishost_vregion {
    char *base;
    size_t size;
    struct iishost_vregion *next;
} iishost_vregion;

#ifdef __cplusplus
extern "C" {
#endif
__attribute__((__weak__, __visibility__("hidden"))) SRWLOCK iishost_vregions_lock = {0};
__attribute__((__weak__, __visibility__("hidden"))) iishost_vregion *iishost_vregions = 0;
#ifdef __cplusplus
}
#endif

static __inline__ size_t iishost_page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* The PROT_* for a PAGE_* value, or -1 (last error set) for one that cannot be honoured. */
static __inline__ int iishost_page_prot(DWORD protect)
{
    if (protect & PAGE_GUARD) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return -1;
    }
    switch (protect & ~(DWORD)(PAGE_NOCACHE | PAGE_WRITECOMBINE)) {
    case PAGE_NOACCESS: return PROT_NONE;
    case PAGE_READONLY: return PROT_READ;
    case PAGE_READWRITE: case PAGE_WRITECOPY: return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE: return PROT_EXEC;
    case PAGE_EXECUTE_READ: return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE: case PAGE_EXECUTE_WRITECOPY: return PROT_READ | PROT_WRITE | PROT_EXEC;
    default:
        SetLastError(ERROR_INVALID_PARAMETER);
        return -1;
    }
}

/* The reservation holding [start, end), or NULL. Call under the lock. */
static __inline__ iishost_vregion *iishost_vregion_find(char *start, char *end)
{
    iishost_vregion *r;
    for (r = iishost_vregions; r != NULL; r = r->next)
        if (start >= r->base && end <= r->base + r->size && start < end)
            return r;
    return NULL;
}

/* Drops the pages of [start, start + size) and leaves the range reserved and inaccessible. */
static __inline__ BOOL iishost_vdecommit(char *start, size_t size)
{
    void *p = mmap(start, size, PROT_NONE, MAP_PRIVATE | MAP_FIXED | IISHOST_MAP_ANONYMOUS | IISHOST_MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}

/* Reserves size bytes at want (NULL: anywhere); returns the base or NULL with the last error set. */
static __inline__ char *iishost_vreserve(char *want, size_t size)
{
    iishost_vregion *r = (iishost_vregion *)malloc(sizeof *r);
    int flags = MAP_PRIVATE | IISHOST_MAP_ANONYMOUS | IISHOST_MAP_NORESERVE;
    void *p;
    if (r == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    p = mmap(want, size, PROT_NONE, want != NULL ? flags | IISHOST_MAP_FIXED_NOREPLACE : flags, -1, 0);
    /* Kernels before 4.17 read the flag as a hint and may map elsewhere. */
    if (p != MAP_FAILED && want != NULL && p != want) {
        munmap(p, size);
        p = MAP_FAILED;
        errno = EEXIST;
    }
    if (p == MAP_FAILED) {
        free(r);
        SetLastError(want != NULL ? ERROR_INVALID_ADDRESS : ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    r->base = (char *)p;
    r->size = size;
    AcquireSRWLockExclusive(&iishost_vregions_lock);
    r->next = iishost_vregions;
    iishost_vregions = r;
    ReleaseSRWLockExclusive(&iishost_vregions_lock);
    return r->base;
}

/*
 * MEM_RELEASE frees a whole reservation: lpAddress its base, dwSize 0. MEM_DECOMMIT drops the
 * pages of a range inside one (dwSize 0 with the base: all of it), which stays reserved.
 */
static __inline__ BOOL VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType)
{
    size_t page = iishost_page_size();
    char *start = (char *)((uintptr_t)lpAddress & ~(uintptr_t)(page - 1));
    char *end = (char *)(((uintptr_t)lpAddress + dwSize + page - 1) & ~(uintptr_t)(page - 1));
    iishost_vregion **link, *r;

    if (lpAddress == NULL || (dwFreeType != MEM_RELEASE && dwFreeType != MEM_DECOMMIT) ||
        (dwFreeType == MEM_RELEASE && dwSize != 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    AcquireSRWLockExclusive(&iishost_vregions_lock);
    for (link = &iishost_vregions; *link != NULL; link = &(*link)->next)
        if ((*link)->base == (char *)lpAddress || (dwFreeType == MEM_DECOMMIT && dwSize != 0 &&
                                                    start >= (*link)->base && end <= (*link)->base + (*link)->size))
            break;
    r = *link;
    if (r != NULL && dwFreeType == MEM_RELEASE)
        *link = r->next;
    ReleaseSRWLockExclusive(&iishost_vregions_lock);
    if (r == NULL) {
        SetLastError(ERROR_INVALID_ADDRESS);
        return FALSE;
    }
    if (dwFreeType == MEM_RELEASE) {
        munmap(r->base, r->size);
        free(r);
        return TRUE;
    }
    if (dwSize == 0) {
        start = r->base;
        end = r->base + r->size;
    }
    return iishost_vdecommit(start, (size_t)(end - start));
}

/*
 * Reserves and/or commits pages. lpAddress NULL with MEM_COMMIT reserves too, as on Windows;
 * a commit at an address must lie inside an earlier reservation (ERROR_INVALID_ADDRESS
 * otherwise). Committed pages read as zero until written; committing pages again keeps them.
 */
static __inline__ LPVOID VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType, DWORD flProtect)
{
    size_t page = iishost_page_size();
    char *start = (char *)((uintptr_t)lpAddress & ~(uintptr_t)(page - 1));
    char *end = (char *)(((uintptr_t)lpAddress + dwSize + page - 1) & ~(uintptr_t)(page - 1));
    DWORD kind = flAllocationType & ~(DWORD)MEM_TOP_DOWN;
    int prot, found;
    char *reserved = NULL;

    if (kind & (MEM_LARGE_PAGES | MEM_PHYSICAL | MEM_WRITE_WATCH)) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    if (dwSize == 0 || end <= start || kind == 0 ||
        (kind != MEM_RESET && (kind & ~(DWORD)(MEM_COMMIT | MEM_RESERVE)) != 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (kind == MEM_RESET || (lpAddress != NULL && !(kind & MEM_RESERVE))) {
        AcquireSRWLockShared(&iishost_vregions_lock);
        found = lpAddress != NULL && iishost_vregion_find(start, end) != NULL;
        ReleaseSRWLockShared(&iishost_vregions_lock);
        if (!found) {
            SetLastError(ERROR_INVALID_ADDRESS);
            return NULL;
        }
    }
    if (kind == MEM_RESET) {
        /* Contents no longer needed: the kernel may drop them; the pages stay committed. */
        if (madvise(start, (size_t)(end - start), IISHOST_MADV_FREE) != 0)
            madvise(start, (size_t)(end - start), IISHOST_MADV_DONTNEED);
        return lpAddress;
    }
    prot = iishost_page_prot(flProtect);
    if (prot < 0)
        return NULL;
    if (lpAddress == NULL || (kind & MEM_RESERVE)) {
        reserved = iishost_vreserve(lpAddress != NULL ? start : NULL, (size_t)(end - start));
        if (reserved == NULL)
            return NULL;
        end = reserved + (end - start);
        start = reserved;
        if (!(kind & MEM_COMMIT))
            return reserved;
    }
    if (mprotect(start, (size_t)(end - start), prot) != 0) {
        if (reserved != NULL)
            VirtualFree(reserved, 0, MEM_RELEASE);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    /* A commit inside a reservation returns the first page's address, as Windows does. */
    return start;
}

#endif /* IISHOST_MEMORYAPI_H */
