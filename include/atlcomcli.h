/*
 * atlcomcli.h - ATL's COM client classes (CComPtr, CComQIPtr, CComBSTR,
 * CComVariant), which iishost declares in atlbase.h.
 */
#ifndef IISHOST_ATLCOMCLI_H
#define IISHOST_ATLCOMCLI_H

#include "atlbase.h"

#endif /* IISHOST_ATLCOMCLI_H */
