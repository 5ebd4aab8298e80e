/*
 * http.h - the HTTP Server API types that the IIS native module API hands to
 * modules (HTTP_REQUEST, HTTP_RESPONSE, HTTP_DATA_CHUNK, ...).
 *
 * Field names, types and order follow api/structs.tsv. On Windows x64 every
 * offset equals the SDK's; on Linux too, because every WCHAR-based field is a
 * pointer (scripts/check-layout.sh asserts all of them).
 *
 * The enums and #defines come from the generated iishost/http_constants.h.
 * Only the types are declared here: the HTTP Server API functions
 * (HttpInitialize, HttpReceiveHttpRequest, ...) do not exist in iishost.
 */
#ifndef IISHOST_HTTP_H
#define IISHOST_HTTP_H

#if defined(_WIN32)
#include <winsock2.h> /* before windows.h, as Windows wants */
#endif
#include <windows.h>
#include "iishost/http_constants.h"

/* The SDK's http.h gets SOCKADDR from winsock2.h; our windows.h already
 * defines it (iishost/winsock_types.h) under the same guard, so this is only
 * a fallback. It is the platform's struct sockaddr: the host stores native
 * addresses, whose sa_family is the system's AF_INET / AF_INET6. */
#if !defined(_WIN32) && !defined(IISHOST_SOCKADDR_DEFINED)
#define IISHOST_SOCKADDR_DEFINED
#include <sys/socket.h>
typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
#endif

/* sspi.h owns SECURITY_STATUS on Windows; the guard name is the SDK's, so
 * whichever header comes first defines it. */
#ifndef __SECSTATUS_DEFINED__
#define __SECSTATUS_DEFINED__
typedef LONG SECURITY_STATUS;
#endif

/* The anonymous union of HTTP_DATA_CHUNK is C11 and an extension in C99 and
 * C++ (nested types); __extension__ keeps -pedantic builds quiet. */
#if defined(__GNUC__) || defined(__clang__)
#define IISHOST_EXTENSION __extension__
#else
#define IISHOST_EXTENSION
#endif

/* Opaque 64-bit identifiers. */
typedef ULONGLONG HTTP_OPAQUE_ID, *PHTTP_OPAQUE_ID;
typedef HTTP_OPAQUE_ID HTTP_REQUEST_ID, *PHTTP_REQUEST_ID;
typedef HTTP_OPAQUE_ID HTTP_CONNECTION_ID, *PHTTP_CONNECTION_ID;
typedef HTTP_OPAQUE_ID HTTP_RAW_CONNECTION_ID, *PHTTP_RAW_CONNECTION_ID;
typedef HTTP_OPAQUE_ID HTTP_URL_GROUP_ID, *PHTTP_URL_GROUP_ID;
typedef HTTP_OPAQUE_ID HTTP_SERVER_SESSION_ID, *PHTTP_SERVER_SESSION_ID;
typedef ULONGLONG HTTP_URL_CONTEXT;

#define HTTP_IS_NULL_ID(pid) (HTTP_NULL_ID == *(pid))
#define HTTP_SET_NULL_ID(pid) (*(pid) = HTTP_NULL_ID)

typedef struct _HTTP_VERSION {
    USHORT MajorVersion;
    USHORT MinorVersion;
} HTTP_VERSION, *PHTTP_VERSION;

/* Brace initializers: HTTP_VERSION v = HTTP_VERSION_1_1; */
#define HTTP_VERSION_UNKNOWN { 0, 0 }
#define HTTP_VERSION_0_9 { 0, 9 }
#define HTTP_VERSION_1_0 { 1, 0 }
#define HTTP_VERSION_1_1 { 1, 1 }
#define HTTP_VERSION_2_0 { 2, 0 }

/* Comparisons of an HTTP_VERSION value (not a pointer) with major.minor. */
#define HTTP_SET_VERSION(version, major, minor) \
    do { (version).MajorVersion = (major); (version).MinorVersion = (minor); } while (0)
#define HTTP_EQUAL_VERSION(version, major, minor) \
    ((version).MajorVersion == (major) && (version).MinorVersion == (minor))
#define HTTP_NOT_EQUAL_VERSION(version, major, minor) \
    (!HTTP_EQUAL_VERSION(version, major, minor))
#define HTTP_GREATER_VERSION(version, major, minor) \
    ((version).MajorVersion > (major) || \
     ((version).MajorVersion == (major) && (version).MinorVersion > (minor)))
#define HTTP_LESS_VERSION(version, major, minor) \
    ((version).MajorVersion < (major) || \
     ((version).MajorVersion == (major) && (version).MinorVersion < (minor)))
#define HTTP_NOT_GREATER_VERSION(version, major, minor) \
    (!HTTP_GREATER_VERSION(version, major, minor))
#define HTTP_NOT_LESS_VERSION(version, major, minor) \
    (!HTTP_LESS_VERSION(version, major, minor))

typedef struct _HTTP_BYTE_RANGE {
    ULARGE_INTEGER StartingOffset;
    ULARGE_INTEGER Length; /* HTTP_BYTE_RANGE_TO_EOF: up to the end */
} HTTP_BYTE_RANGE, *PHTTP_BYTE_RANGE;

/* Header values are raw bytes, not NUL-terminated; lengths are in bytes. */
typedef struct _HTTP_KNOWN_HEADER {
    USHORT RawValueLength;
    PCSTR pRawValue;
} HTTP_KNOWN_HEADER, *PHTTP_KNOWN_HEADER;

typedef struct _HTTP_UNKNOWN_HEADER {
    USHORT NameLength;
    USHORT RawValueLength;
    PCSTR pName;
    PCSTR pRawValue;
} HTTP_UNKNOWN_HEADER, *PHTTP_UNKNOWN_HEADER;

typedef struct _HTTP_WINHTTP_FAST_FORWARDING_DATA {
    UCHAR Reserved[16];
} HTTP_WINHTTP_FAST_FORWARDING_DATA, *PHTTP_WINHTTP_FAST_FORWARDING_DATA;

/* One piece of a body; DataChunkType says which union member is valid. */
typedef struct _HTTP_DATA_CHUNK {
    HTTP_DATA_CHUNK_TYPE DataChunkType;
    IISHOST_EXTENSION union {
        struct {
            PVOID pBuffer;
            ULONG BufferLength;
        } FromMemory;
        struct {
            HTTP_BYTE_RANGE ByteRange;
            HANDLE FileHandle;
        } FromFileHandle;
        struct {
            USHORT FragmentNameLength; /* bytes, terminator excluded */
            PCWSTR pFragmentName;
        } FromFragmentCache;
        struct {
            HTTP_BYTE_RANGE ByteRange;
            PCWSTR pFragmentName;
        } FromFragmentCacheEx;
        struct {
            USHORT TrailerCount;
            PHTTP_UNKNOWN_HEADER pTrailers;
        } Trailers;
        struct {
            HTTP_WINHTTP_FAST_FORWARDING_DATA WhFastForwardingData;
        } FromWinHttpFastForwarding;
    };
} HTTP_DATA_CHUNK, *PHTTP_DATA_CHUNK;

/* The URL split into parts that point into one buffer. Lengths are in bytes,
 * i.e. characters * sizeof(WCHAR), terminator excluded. */
typedef struct _HTTP_COOKED_URL {
    USHORT FullUrlLength;
    USHORT HostLength;
    USHORT AbsPathLength;
    USHORT QueryStringLength;
    PCWSTR pFullUrl;
    PCWSTR pHost;
    PCWSTR pAbsPath;
    PCWSTR pQueryString;
} HTTP_COOKED_URL, *PHTTP_COOKED_URL;

typedef struct _HTTP_TRANSPORT_ADDRESS {
    PSOCKADDR pRemoteAddress;
    PSOCKADDR pLocalAddress;
} HTTP_TRANSPORT_ADDRESS, *PHTTP_TRANSPORT_ADDRESS;

/* KnownHeaders is indexed by HTTP_HEADER_ID. */
typedef struct _HTTP_REQUEST_HEADERS {
    USHORT UnknownHeaderCount;
    PHTTP_UNKNOWN_HEADER pUnknownHeaders;
    USHORT TrailerCount;
    PHTTP_UNKNOWN_HEADER pTrailers;
    HTTP_KNOWN_HEADER KnownHeaders[HttpHeaderRequestMaximum];
} HTTP_REQUEST_HEADERS, *PHTTP_REQUEST_HEADERS;

typedef struct _HTTP_RESPONSE_HEADERS {
    USHORT UnknownHeaderCount;
    PHTTP_UNKNOWN_HEADER pUnknownHeaders;
    USHORT TrailerCount;
    PHTTP_UNKNOWN_HEADER pTrailers;
    HTTP_KNOWN_HEADER KnownHeaders[HttpHeaderResponseMaximum];
} HTTP_RESPONSE_HEADERS, *PHTTP_RESPONSE_HEADERS;

typedef struct _HTTP_SSL_CLIENT_CERT_INFO {
    ULONG CertFlags;
    ULONG CertEncodedSize;
    PUCHAR pCertEncoded;
    HANDLE Token;
    BOOLEAN CertDeniedByMapper;
} HTTP_SSL_CLIENT_CERT_INFO, *PHTTP_SSL_CLIENT_CERT_INFO;

typedef struct _HTTP_SSL_INFO {
    USHORT ServerCertKeySize;
    USHORT ConnectionKeySize;
    ULONG ServerCertIssuerSize;
    ULONG ServerCertSubjectSize;
    PCSTR pServerCertIssuer;
    PCSTR pServerCertSubject;
    PHTTP_SSL_CLIENT_CERT_INFO pClientCertInfo;
    ULONG SslClientCertNegotiated;
} HTTP_SSL_INFO, *PHTTP_SSL_INFO;

/* pInfo of HTTP_REQUEST_INFO for HttpRequestInfoTypeSslProtocol. */
typedef struct _HTTP_SSL_PROTOCOL_INFO {
    ULONG Protocol;
    ULONG CipherType;
    ULONG CipherStrength;
    ULONG HashType;
    ULONG HashStrength;
    ULONG KeyExchangeType;
    ULONG KeyExchangeStrength;
} HTTP_SSL_PROTOCOL_INFO, *PHTTP_SSL_PROTOCOL_INFO;

/* One entry of HTTP_REQUEST_V2.pRequestInfo; InfoType says what pInfo is. */
typedef struct _HTTP_REQUEST_INFO {
    HTTP_REQUEST_INFO_TYPE InfoType;
    ULONG InfoLength;
    PVOID pInfo;
} HTTP_REQUEST_INFO, *PHTTP_REQUEST_INFO;

/* pInfo for HttpRequestInfoTypeAuth. */
typedef struct _HTTP_REQUEST_AUTH_INFO {
    HTTP_AUTH_STATUS AuthStatus;
    SECURITY_STATUS SecStatus;
    ULONG Flags;
    HTTP_REQUEST_AUTH_TYPE AuthType;
    HANDLE AccessToken;
    ULONG ContextAttributes;
    ULONG PackedContextLength;
    ULONG PackedContextType;
    PVOID PackedContext;
    ULONG MutualAuthDataLength;
    PCHAR pMutualAuthData;
    USHORT PackageNameLength;
    PWSTR pPackageName;
} HTTP_REQUEST_AUTH_INFO, *PHTTP_REQUEST_AUTH_INFO;

/* pInfo for HttpRequestInfoTypeRequestSizing. */
typedef struct _HTTP_REQUEST_SIZING_INFO {
    ULONGLONG Flags;
    ULONG RequestIndex;
    ULONG RequestSizingCount;
    ULONGLONG RequestSizing[HttpRequestSizingTypeMax];
} HTTP_REQUEST_SIZING_INFO, *PHTTP_REQUEST_SIZING_INFO;

/* pInfo for HttpRequestInfoTypeRequestTiming. */
typedef struct _HTTP_REQUEST_TIMING_INFO {
    ULONG RequestTimingCount;
    ULONGLONG RequestTiming[HttpRequestTimingTypeMax];
} HTTP_REQUEST_TIMING_INFO, *PHTTP_REQUEST_TIMING_INFO;

/* pInfo for HttpRequestInfoTypeSslTokenBinding. */
typedef struct _HTTP_REQUEST_TOKEN_BINDING_INFO {
    PUCHAR TokenBinding;
    ULONG TokenBindingSize;
    PUCHAR EKM;
    ULONG EKMSize;
    UCHAR KeyType;
} HTTP_REQUEST_TOKEN_BINDING_INFO, *PHTTP_REQUEST_TOKEN_BINDING_INFO;

/*
 * HTTP_REQUEST_V2 extends HTTP_REQUEST_V1. In C++ it derives from it, as in
 * the SDK, so an HTTP_REQUEST* converts to HTTP_REQUEST_V1* implicitly. C has
 * no inheritance and standard C has no anonymous *tagged* struct member (that
 * is -fms-extensions), so in C the V1 members are repeated from one macro.
 * V1 has no tail padding, so both forms put every field at the same offset;
 * in C, convert to HTTP_REQUEST_V1* with a cast.
 */
#define IISHOST_HTTP_REQUEST_V1_MEMBERS \
    ULONG Flags; /* HTTP_REQUEST_FLAG_* */ \
    HTTP_CONNECTION_ID ConnectionId; \
    HTTP_REQUEST_ID RequestId; \
    HTTP_URL_CONTEXT UrlContext; \
    HTTP_VERSION Version; \
    HTTP_VERB Verb; \
    USHORT UnknownVerbLength; /* bytes */ \
    USHORT RawUrlLength; /* bytes */ \
    PCSTR pUnknownVerb; \
    PCSTR pRawUrl; \
    HTTP_COOKED_URL CookedUrl; \
    HTTP_TRANSPORT_ADDRESS Address; \
    HTTP_REQUEST_HEADERS Headers; \
    ULONGLONG BytesReceived; \
    USHORT EntityChunkCount; \
    PHTTP_DATA_CHUNK pEntityChunks; \
    HTTP_RAW_CONNECTION_ID RawConnectionId; \
    PHTTP_SSL_INFO pSslInfo;

typedef struct _HTTP_REQUEST_V1 {
    IISHOST_HTTP_REQUEST_V1_MEMBERS
} HTTP_REQUEST_V1, *PHTTP_REQUEST_V1;

#ifdef __cplusplus
typedef struct _HTTP_REQUEST_V2 : _HTTP_REQUEST_V1 {
#else
typedef struct _HTTP_REQUEST_V2 {
    IISHOST_HTTP_REQUEST_V1_MEMBERS
#endif
    USHORT RequestInfoCount;
    PHTTP_REQUEST_INFO pRequestInfo;
} HTTP_REQUEST_V2, *PHTTP_REQUEST_V2;

/* The SDK's choice for every target since Windows Vista. */
typedef HTTP_REQUEST_V2 HTTP_REQUEST, *PHTTP_REQUEST;

/* pInfo for HttpResponseInfoTypeMultipleKnownHeaders. */
typedef struct _HTTP_MULTIPLE_KNOWN_HEADERS {
    HTTP_HEADER_ID HeaderId;
    ULONG Flags; /* HTTP_RESPONSE_INFO_FLAGS_* */
    USHORT KnownHeaderCount;
    PHTTP_KNOWN_HEADER KnownHeaders;
} HTTP_MULTIPLE_KNOWN_HEADERS, *PHTTP_MULTIPLE_KNOWN_HEADERS;

/* One entry of HTTP_RESPONSE_V2.pResponseInfo; Type says what pInfo is. */
typedef struct _HTTP_RESPONSE_INFO {
    HTTP_RESPONSE_INFO_TYPE Type;
    ULONG Length;
    PVOID pInfo;
} HTTP_RESPONSE_INFO, *PHTTP_RESPONSE_INFO;

/* Same scheme as HTTP_REQUEST_V1/V2 above. */
#define IISHOST_HTTP_RESPONSE_V1_MEMBERS \
    ULONG Flags; /* HTTP_RESPONSE_FLAG_* */ \
    HTTP_VERSION Version; \
    USHORT StatusCode; \
    USHORT ReasonLength; /* bytes */ \
    PCSTR pReason; \
    HTTP_RESPONSE_HEADERS Headers; \
    USHORT EntityChunkCount; \
    PHTTP_DATA_CHUNK pEntityChunks;

typedef struct _HTTP_RESPONSE_V1 {
    IISHOST_HTTP_RESPONSE_V1_MEMBERS
} HTTP_RESPONSE_V1, *PHTTP_RESPONSE_V1;

#ifdef __cplusplus
typedef struct _HTTP_RESPONSE_V2 : _HTTP_RESPONSE_V1 {
#else
typedef struct _HTTP_RESPONSE_V2 {
    IISHOST_HTTP_RESPONSE_V1_MEMBERS
#endif
    USHORT ResponseInfoCount;
    PHTTP_RESPONSE_INFO pResponseInfo;
} HTTP_RESPONSE_V2, *PHTTP_RESPONSE_V2;

typedef HTTP_RESPONSE_V2 HTTP_RESPONSE, *PHTTP_RESPONSE;

typedef struct _HTTP_CACHE_POLICY {
    HTTP_CACHE_POLICY_TYPE Policy;
    ULONG SecondsToLive;
} HTTP_CACHE_POLICY, *PHTTP_CACHE_POLICY;

/* Header of every log record; Type says which concrete struct follows. */
typedef struct _HTTP_LOG_DATA {
    HTTP_LOG_DATA_TYPE Type;
} HTTP_LOG_DATA, *PHTTP_LOG_DATA;

/* The record for HttpLogDataTypeFields. Lengths are in bytes. */
typedef struct _HTTP_LOG_FIELDS_DATA {
    HTTP_LOG_DATA Base;
    USHORT UserNameLength;
    USHORT UriStemLength;
    USHORT ClientIpLength;
    USHORT ServerNameLength;
    USHORT ServiceNameLength;
    USHORT ServerIpLength;
    USHORT MethodLength;
    USHORT UriQueryLength;
    USHORT HostLength;
    USHORT UserAgentLength;
    USHORT CookieLength;
    USHORT ReferrerLength;
    PWCHAR UserName;
    PWCHAR UriStem;
    PCHAR ClientIp;
    PCHAR ServerName;
    PCHAR ServiceName;
    PCHAR ServerIp;
    PCHAR Method;
    PCHAR UriQuery;
    PCHAR Host;
    PCHAR UserAgent;
    PCHAR Cookie;
    PCHAR Referrer;
    USHORT ServerPort;
    USHORT ProtocolStatus;
    ULONG Win32Status;
    HTTP_VERB MethodNum;
    USHORT SubStatus;
} HTTP_LOG_FIELDS_DATA, *PHTTP_LOG_FIELDS_DATA;

#endif /* IISHOST_HTTP_H */
