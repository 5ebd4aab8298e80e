/*
 * ws2tcpip.h - name resolution and address text for Winsock code:
 * getaddrinfo, freeaddrinfo, getnameinfo, gai_strerror, inet_pton and
 * inet_ntop are the system's; ADDRINFOA is its struct addrinfo under the
 * Windows names; GetAddrInfoW/FreeAddrInfoW, GetNameInfoW and
 * InetPtonW/InetNtopW are the wide forms, through UTF-8.
 *
 * Results: the EAI_* names are the C library's, and getaddrinfo,
 * getnameinfo, GetAddrInfoW and GetNameInfoW all return those values, so a
 * result compares with EAI_NONAME and prints with gai_strerror as the code
 * expects. The wide functions also set WSAGetLastError to the Winsock code
 * Windows reports (WSAHOST_NOT_FOUND for EAI_NONAME, ...). ADDRINFOW keeps
 * Windows' member order; ADDRINFOA is struct addrinfo, whose members have
 * the same names in another order (names are what code uses).
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <ws2tcpip.h>
#else
#ifndef IISHOST_WS2TCPIP_H
#define IISHOST_WS2TCPIP_H

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "winsock2.h"

/*
 * Strict ISO C (-std=c11, build-module.sh's C mode) makes glibc hide all of getaddrinfo's
 * interface. It is declared here as glibc declares it (the same struct layout, values and
 * prototypes), as kernel32.h does for the POSIX functions it needs.
 */
#if !defined(__cplusplus) && defined(__GLIBC__) && !defined(__USE_XOPEN2K)
struct addrinfo {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    socklen_t ai_addrlen;
    struct sockaddr *ai_addr;
    char *ai_canonname;
    struct addrinfo *ai_next;
};
#define AI_PASSIVE 0x0001
#define AI_CANONNAME 0x0002
#define AI_NUMERICHOST 0x0004
#define AI_V4MAPPED 0x0008
#define AI_ALL 0x0010
#define AI_ADDRCONFIG 0x0020
#define AI_NUMERICSERV 0x0400
#define EAI_BADFLAGS -1
#define EAI_NONAME -2
#define EAI_AGAIN -3
#define EAI_FAIL -4
#define EAI_FAMILY -6
#define EAI_SOCKTYPE -7
#define EAI_SERVICE -8
#define EAI_MEMORY -10
#define EAI_SYSTEM -11
#define EAI_OVERFLOW -12
#define NI_NUMERICHOST 1
#define NI_NUMERICSERV 2
#define NI_NOFQDN 4
#define NI_NAMEREQD 8
#define NI_DGRAM 16
extern int getaddrinfo(const char *__restrict, const char *__restrict, const struct addrinfo *__restrict,
                       struct addrinfo **__restrict);
extern void freeaddrinfo(struct addrinfo *);
extern const char *gai_strerror(int);
extern int getnameinfo(const struct sockaddr *__restrict, socklen_t, char *__restrict, socklen_t,
                       char *__restrict, socklen_t, int);
#endif

typedef struct addrinfo ADDRINFOA, *PADDRINFOA, ADDRINFO, *LPADDRINFO;

typedef struct addrinfoW {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    PWSTR ai_canonname;
    struct sockaddr *ai_addr;
    struct addrinfoW *ai_next;
} ADDRINFOW, *PADDRINFOW;

#ifndef NI_MAXHOST
#define NI_MAXHOST 1025
#endif
#ifndef NI_MAXSERV
#define NI_MAXSERV 32
#endif

/* The Winsock code Windows returns where the C library returns rc (an EAI_* value). */
static __inline__ int iishost_wsa_from_eai(int rc)
{
    switch (rc) {
    case 0: return 0;
    case EAI_AGAIN: return WSATRY_AGAIN;
    case EAI_BADFLAGS: return WSAEINVAL;
    case EAI_FAIL: return WSANO_RECOVERY;
    case EAI_FAMILY: return WSAEAFNOSUPPORT;
    case EAI_MEMORY: return WSA_NOT_ENOUGH_MEMORY;
    case EAI_NONAME: return WSAHOST_NOT_FOUND;
    case EAI_SERVICE: return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE: return WSAESOCKTNOSUPPORT;
    case EAI_OVERFLOW: return WSAEFAULT;
    case EAI_SYSTEM: return iishost_wsa_from_errno(errno);
    default: return WSANO_RECOVERY;
    }
}

/* Returns rc, with the Winsock code for it set as the last error. */
static __inline__ int iishost_eai_result(int rc)
{
    if (rc != 0)
        WSASetLastError(iishost_wsa_from_eai(rc));
    return rc;
}

static __inline__ VOID FreeAddrInfoW(PADDRINFOW pAddrInfo)
{
    while (pAddrInfo != NULL) {
        PADDRINFOW next = pAddrInfo->ai_next;
        free(pAddrInfo); /* one block: the node, its address and its name */
        pAddrInfo = next;
    }
}

/*
 * getaddrinfo with wide names: each result node is one block holding its sockaddr and its
 * wide canonical name. Free the list with FreeAddrInfoW.
 */
static __inline__ INT GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                                   PADDRINFOW *ppResult)
{
    char *node = NULL, *service = NULL;
    struct addrinfo hints, *list = NULL, *ai;
    PADDRINFOW head = NULL, *tail = &head;
    int rc;

    if (ppResult == NULL)
        return iishost_eai_result(EAI_FAIL);
    *ppResult = NULL;
    if ((pNodeName != NULL && (node = iishost_wide_to_utf8(pNodeName)) == NULL) ||
        (pServiceName != NULL && (service = iishost_wide_to_utf8(pServiceName)) == NULL)) {
        free(node);
        return iishost_eai_result(EAI_NONAME);
    }
    memset(&hints, 0, sizeof hints);
    if (pHints != NULL) {
        hints.ai_flags = pHints->ai_flags;
        hints.ai_family = pHints->ai_family;
        hints.ai_socktype = pHints->ai_socktype;
        hints.ai_protocol = pHints->ai_protocol;
    }
    rc = getaddrinfo(node, service, pHints != NULL ? &hints : NULL, &list);
    free(node);
    free(service);
    for (ai = rc == 0 ? list : NULL; ai != NULL; ai = ai->ai_next) {
        WCHAR *name = ai->ai_canonname != NULL ? iishost_widen(ai->ai_canonname, -1) : NULL;
        size_t nameBytes = name != NULL ? (wcslen(name) + 1) * sizeof(WCHAR) : 0;
        /* Node, then the name (WCHAR-aligned), then the address (pointer-aligned). */
        size_t nodeBytes = (sizeof(ADDRINFOW) + nameBytes + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
        PADDRINFOW w = (PADDRINFOW)calloc(1, nodeBytes + ai->ai_addrlen);
        if (w == NULL) {
            free(name);
            rc = EAI_MEMORY;
            break;
        }
        w->ai_flags = ai->ai_flags;
        w->ai_family = ai->ai_family;
        w->ai_socktype = ai->ai_socktype;
        w->ai_protocol = ai->ai_protocol;
        w->ai_addrlen = ai->ai_addrlen;
        if (name != NULL) {
            w->ai_canonname = (PWSTR)(void *)(w + 1);
            memcpy(w->ai_canonname, name, nameBytes);
            free(name);
        }
        w->ai_addr = (struct sockaddr *)(void *)((char *)w + nodeBytes);
        memcpy(w->ai_addr, ai->ai_addr, ai->ai_addrlen);
        *tail = w;
        tail = &w->ai_next;
    }
    if (list != NULL)
        freeaddrinfo(list);
    if (rc != 0) {
        FreeAddrInfoW(head);
        return iishost_eai_result(rc);
    }
    *ppResult = head;
    return 0;
}

/* Copies UTF-8 text into a wide buffer of size WCHARs; FALSE when it does not fit. */
static __inline__ BOOL iishost_widen_into(const char *text, PWCHAR out, DWORD size)
{
    WCHAR *wide;
    size_t n;
    if (out == NULL || size == 0)
        return TRUE; /* not asked for */
    wide = iishost_widen(text, -1);
    if (wide == NULL)
        return FALSE;
    n = wcslen(wide) + 1;
    if (n <= size)
        memcpy(out, wide, n * sizeof(WCHAR));
    free(wide);
    return n <= size;
}

/* getnameinfo into wide buffers; a buffer too small fails with EAI_OVERFLOW (WSAEFAULT). */
static __inline__ INT GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer,
                                   DWORD NodeBufferSize, PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int rc = getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer != NULL ? host : NULL,
                         pNodeBuffer != NULL ? sizeof host : 0, pServiceBuffer != NULL ? serv : NULL,
                         pServiceBuffer != NULL ? sizeof serv : 0, Flags);
    if (rc == 0 && (!iishost_widen_into(host, pNodeBuffer, NodeBufferSize) ||
                    !iishost_widen_into(serv, pServiceBuffer, ServiceBufferSize)))
        rc = EAI_OVERFLOW;
    return iishost_eai_result(rc);
}

/* 1 with the address in pAddrBuf, 0 for text that is no address of Family, -1 (WSAEAFNOSUPPORT)
 * for a family other than AF_INET and AF_INET6. */
static __inline__ INT InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf)
{
    char *text;
    int rc;
    if (Family != AF_INET && Family != AF_INET6) {
        WSASetLastError(WSAEAFNOSUPPORT);
        return -1;
    }
    if (pszAddrString == NULL || pAddrBuf == NULL) {
        WSASetLastError(WSAEFAULT);
        return -1;
    }
    text = iishost_wide_to_utf8(pszAddrString);
    rc = text != NULL ? inet_pton(Family, text, pAddrBuf) : 0;
    free(text);
    if (rc == 0)
        WSASetLastError(WSAEINVAL);
    return rc;
}

/* The address as wide text in pStringBuf, or NULL: WSAEAFNOSUPPORT for another family,
 * ERROR_INVALID_PARAMETER for no buffer or one too small. */
static __inline__ PCWSTR InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize)
{
    char text[INET6_ADDRSTRLEN];
    size_t i, n;
    if (Family != AF_INET && Family != AF_INET6) {
        WSASetLastError(WSAEAFNOSUPPORT);
        return NULL;
    }
    if (pAddr == NULL || pStringBuf == NULL || inet_ntop(Family, pAddr, text, sizeof text) == NULL ||
        (n = strlen(text) + 1) > StringBufSize) {
        WSASetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    for (i = 0; i < n; i++) /* the text is ASCII */
        pStringBuf[i] = (WCHAR)(unsigned char)text[i];
    return pStringBuf;
}

#define InetPtonA inet_pton
#define InetNtopA inet_ntop

#ifdef UNICODE
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
#define GetAddrInfo GetAddrInfoW
#define FreeAddrInfo FreeAddrInfoW
#define GetNameInfo GetNameInfoW
#define InetPton InetPtonW
#define InetNtop InetNtopW
#else
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
#define GetAddrInfo getaddrinfo
#define FreeAddrInfo freeaddrinfo
#define GetNameInfo getnameinfo
#define InetPton InetPtonA
#define InetNtop InetNtopA
#endif
#define GetAddrInfoA getaddrinfo
#define FreeAddrInfoA freeaddrinfo
#define GetNameInfoA getnameinfo

#endif /* IISHOST_WS2TCPIP_H */
#endif /* _WIN32 */
