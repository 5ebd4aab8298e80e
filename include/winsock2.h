/*
 * winsock2.h - Winsock for modules that include it: SOCKET, WSADATA and
 * WSAStartup/WSACleanup, closesocket, ioctlsocket, WSAGetLastError and
 * WSASetLastError, WSAAddressToString(A/W), the shutdown and I/O constants,
 * and the address types under both spellings (iishost/winsock_names.h).
 *
 * The socket functions themselves (socket, bind, connect, send, recv,
 * select, ...) are the system's: a SOCKET is the descriptor, and passes to
 * them as an int. Winsock needs no start here, so WSAStartup only counts
 * and reports version 2.2 at most. Errors: the system functions set errno;
 * WSAGetLastError reads it and answers with the Windows code (EINPROGRESS
 * from a non-blocking connect is WSAEWOULDBLOCK, as Windows reports it).
 * WSASetLastError sets both GetLastError and what WSAGetLastError returns,
 * by storing the code in errno above the range Linux uses.
 *
 * u_long and the other u_* types are glibc's, so u_long is 64-bit here
 * where Windows' is 32-bit (see docs/porting.md: `long` is 64-bit).
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <winsock2.h>
#else
#ifndef IISHOST_WINSOCK2_H
#define IISHOST_WINSOCK2_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>

#include "windows.h"
#include "iishost/winsock_names.h"

typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

/* glibc names these only outside strict ISO C; the same types otherwise. */
#if !defined(__GLIBC__) || !defined(__USE_MISC)
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
#endif

/* Linux's value; strict ISO C hides the name. ioctlsocket refuses it (see below). */
#ifndef SIOCATMARK
#define SIOCATMARK 0x8905
#endif

#define SD_RECEIVE 0x00
#define SD_SEND 0x01
#define SD_BOTH 0x02

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128

/* The 64-bit layout: the two counts come before the vendor pointer. */
typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
} WSADATA, *LPWSADATA;

/* Only passed through (NULL in practice): WSAEnumProtocols does not exist here. */
typedef struct _WSAPROTOCOL_INFOA WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;
typedef struct _WSAPROTOCOL_INFOW WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;

#define WSA_IO_PENDING ERROR_IO_PENDING
#define WSA_IO_INCOMPLETE ERROR_IO_INCOMPLETE
#define WSA_INVALID_HANDLE ERROR_INVALID_HANDLE
#define WSA_INVALID_PARAMETER ERROR_INVALID_PARAMETER
#define WSA_NOT_ENOUGH_MEMORY ERROR_NOT_ENOUGH_MEMORY
#define WSA_OPERATION_ABORTED ERROR_OPERATION_ABORTED

#define WSAAPI WINAPI

/* errno values from here up carry a code WSASetLastError stored; Linux's stay far below. */
#define IISHOST_WSA_ERRNO_BASE 0x10000

/* The Windows Sockets code for an errno value, as Windows reports the same failure. */
static __inline__ int iishost_wsa_from_errno(int err)
{
    static const int pairs[][2] = {
        {EINTR, WSAEINTR}, {EBADF, WSAENOTSOCK}, {EACCES, WSAEACCES}, {EPERM, WSAEACCES},
        {EFAULT, WSAEFAULT}, {EINVAL, WSAEINVAL}, {EMFILE, WSAEMFILE}, {ENFILE, WSAEMFILE},
        {EWOULDBLOCK, WSAEWOULDBLOCK}, {EAGAIN, WSAEWOULDBLOCK}, {EINPROGRESS, WSAEWOULDBLOCK},
        {EALREADY, WSAEALREADY}, {ENOTSOCK, WSAENOTSOCK}, {EDESTADDRREQ, WSAEDESTADDRREQ},
        {EMSGSIZE, WSAEMSGSIZE}, {EPROTOTYPE, WSAEPROTOTYPE}, {ENOPROTOOPT, WSAENOPROTOOPT},
        {EPROTONOSUPPORT, WSAEPROTONOSUPPORT}, {ESOCKTNOSUPPORT, WSAESOCKTNOSUPPORT},
        {EOPNOTSUPP, WSAEOPNOTSUPP}, {EPFNOSUPPORT, WSAEPFNOSUPPORT}, {EAFNOSUPPORT, WSAEAFNOSUPPORT},
        {EADDRINUSE, WSAEADDRINUSE}, {EADDRNOTAVAIL, WSAEADDRNOTAVAIL}, {ENETDOWN, WSAENETDOWN},
        {ENETUNREACH, WSAENETUNREACH}, {ENETRESET, WSAENETRESET}, {ECONNABORTED, WSAECONNABORTED},
        {ECONNRESET, WSAECONNRESET}, {ENOBUFS, WSAENOBUFS}, {ENOMEM, WSAENOBUFS}, {EISCONN, WSAEISCONN},
        {ENOTCONN, WSAENOTCONN}, {ESHUTDOWN, WSAESHUTDOWN}, {EPIPE, WSAESHUTDOWN},
        {ETOOMANYREFS, WSAETOOMANYREFS}, {ETIMEDOUT, WSAETIMEDOUT}, {ECONNREFUSED, WSAECONNREFUSED},
        {ELOOP, WSAELOOP}, {ENAMETOOLONG, WSAENAMETOOLONG}, {EHOSTDOWN, WSAEHOSTDOWN},
        {EHOSTUNREACH, WSAEHOSTUNREACH}, {ENOTEMPTY, WSAENOTEMPTY}, {EUSERS, WSAEUSERS},
        {EDQUOT, WSAEDQUOT}, {ESTALE, WSAESTALE}, {EREMOTE, WSAEREMOTE}, {ECANCELED, WSAECANCELLED},
    };
    size_t i;
    if (err == 0)
        return 0;
    if (err >= IISHOST_WSA_ERRNO_BASE)
        return err - IISHOST_WSA_ERRNO_BASE;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (pairs[i][0] == err)
            return pairs[i][1];
    return WSASYSCALLFAILURE; /* no Winsock counterpart */
}

/* The calling thread's last Winsock error: what the last failing socket call set. */
static __inline__ int WSAGetLastError(void)
{
    return iishost_wsa_from_errno(errno);
}

static __inline__ void WSASetLastError(int iError)
{
    SetLastError((DWORD)iError);
    errno = iError == 0 ? 0 : IISHOST_WSA_ERRNO_BASE + iError;
}

#ifdef __cplusplus
extern "C" {
#endif
/* WSAStartups not yet matched by WSACleanup, for the whole module (weak and hidden, as
 * iishost_last_error). */
__attribute__((__weak__, __visibility__("hidden"))) LONG iishost_wsa_starts = 0;
#ifdef __cplusplus
}
#endif

/* Reports the version used (at most 2.2) in *lpWSAData; versions below 1.0 are refused. */
static __inline__ int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
    WORD highest = MAKEWORD(2, 2);
    BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);
    if (lpWSAData == NULL)
        return WSAEFAULT;
    memset(lpWSAData, 0, sizeof *lpWSAData);
    lpWSAData->wHighVersion = highest;
    lpWSAData->wVersion = (major > 2 || (major == 2 && minor > 2)) ? highest : wVersionRequested;
    snprintf(lpWSAData->szDescription, sizeof lpWSAData->szDescription, "WinSock 2.0");
    snprintf(lpWSAData->szSystemStatus, sizeof lpWSAData->szSystemStatus, "Running");
    if (major < 1)
        return WSAVERNOTSUPPORTED;
    InterlockedIncrement(&iishost_wsa_starts);
    return 0;
}

/* Ends one WSAStartup; without one, fails with WSANOTINITIALISED. */
static __inline__ int WSACleanup(void)
{
    LONG n = InterlockedCompareExchange(&iishost_wsa_starts, 0, 0);
    while (n > 0) {
        LONG seen = InterlockedCompareExchange(&iishost_wsa_starts, n - 1, n);
        if (seen == n)
            return 0;
        n = seen;
    }
    WSASetLastError(WSANOTINITIALISED);
    return SOCKET_ERROR;
}

static __inline__ int closesocket(SOCKET s)
{
    return close((int)s) == 0 ? 0 : SOCKET_ERROR;
}

/*
 * FIONBIO (non-zero *argp: non-blocking) and FIONREAD (bytes ready to read into *argp).
 * SIOCATMARK and the other commands fail with WSAEINVAL.
 */
static __inline__ int ioctlsocket(SOCKET s, long cmd, u_long *argp)
{
    int fd = (int)s, value = 0, flags;
    if (argp == NULL) {
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    switch (cmd) {
    case FIONBIO:
        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, *argp ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) != 0)
            return SOCKET_ERROR;
        return 0;
    case FIONREAD:
        if (ioctl(fd, FIONREAD, &value) != 0)
            return SOCKET_ERROR;
        *argp = (u_long)value;
        return 0;
    default:
        WSASetLastError(WSAEINVAL);
        return SOCKET_ERROR;
    }
}

/*
 * An IPv4 or IPv6 address as Windows prints it: "1.2.3.4", "1.2.3.4:80", "fe80::1%4",
 * "[fe80::1%4]:80" (the port only when non-zero). Returns the characters with the terminator,
 * 0 for an unsupported family or length.
 */
static __inline__ size_t iishost_wsa_address_text(const SOCKADDR *sa, DWORD len, char *out, size_t size)
{
    char addr[INET6_ADDRSTRLEN], scope[16] = "";
    unsigned port;
    int n;
    if (sa == NULL)
        return 0;
    if (sa->sa_family == AF_INET && len >= sizeof(SOCKADDR_IN)) {
        const SOCKADDR_IN *in = (const SOCKADDR_IN *)(const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, addr, sizeof addr);
        port = ntohs(in->sin_port);
        n = port ? snprintf(out, size, "%s:%u", addr, port) : snprintf(out, size, "%s", addr);
    } else if (sa->sa_family == AF_INET6 && len >= sizeof(SOCKADDR_IN6)) {
        const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)(const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof addr);
        if (in6->sin6_scope_id != 0)
            snprintf(scope, sizeof scope, "%%%u", (unsigned)in6->sin6_scope_id);
        port = ntohs(in6->sin6_port);
        n = port ? snprintf(out, size, "[%s%s]:%u", addr, scope, port) : snprintf(out, size, "%s%s", addr, scope);
    } else {
        return 0;
    }
    return (size_t)n + 1;
}

/*
 * The part WSAAddressToStringA and W share: the text of the address in text, and the length
 * checks. Returns the characters to copy (with the terminator), or 0 with the Winsock error set
 * and, for a buffer too small, the size needed in *length.
 */
static __inline__ size_t iishost_wsa_address_prepare(LPSOCKADDR sa, DWORD saLength, int haveBuffer,
                                                     LPDWORD length, char *text, size_t size)
{
    size_t n = iishost_wsa_address_text(sa, saLength, text, size);
    if (n == 0 || length == NULL) {
        WSASetLastError(length == NULL || sa == NULL ? WSAEFAULT : WSAEINVAL);
        return 0;
    }
    if (!haveBuffer || *length < n) {
        *length = (DWORD)n;
        WSASetLastError(WSAEFAULT);
        return 0;
    }
    *length = (DWORD)n;
    return n;
}

/* The address as text in lpszAddressString; *lpdwAddressStringLength is the buffer's size in,
 * the characters written (with the terminator) out, or the size needed with WSAEFAULT. */
static __inline__ INT WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                          LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSTR lpszAddressString,
                                          LPDWORD lpdwAddressStringLength)
{
    char text[INET6_ADDRSTRLEN + 32];
    size_t n = iishost_wsa_address_prepare(lpsaAddress, dwAddressLength, lpszAddressString != NULL,
                                           lpdwAddressStringLength, text, sizeof text);
    (void)lpProtocolInfo;
    if (n == 0)
        return SOCKET_ERROR;
    memcpy(lpszAddressString, text, n);
    return 0;
}

static __inline__ INT WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                                          LPDWORD lpdwAddressStringLength)
{
    char text[INET6_ADDRSTRLEN + 32];
    size_t i, n = iishost_wsa_address_prepare(lpsaAddress, dwAddressLength, lpszAddressString != NULL,
                                              lpdwAddressStringLength, text, sizeof text);
    (void)lpProtocolInfo;
    if (n == 0)
        return SOCKET_ERROR;
    for (i = 0; i < n; i++) /* the text is ASCII */
        lpszAddressString[i] = (WCHAR)(unsigned char)text[i];
    return 0;
}

#ifdef UNICODE
#define WSAAddressToString WSAAddressToStringW
#define LPWSAPROTOCOL_INFO LPWSAPROTOCOL_INFOW
#else
#define WSAAddressToString WSAAddressToStringA
#define LPWSAPROTOCOL_INFO LPWSAPROTOCOL_INFOA
#endif

#endif /* IISHOST_WINSOCK2_H */
#endif /* _WIN32 */
