/*
 * atlsimpstr.h - ATL's simple string; iishost's CStringT (atlstr.h) has its
 * methods, so this header brings in atlstr.h.
 */
#ifndef IISHOST_ATLSIMPSTR_H
#define IISHOST_ATLSIMPSTR_H

#include "atlstr.h"

#endif /* IISHOST_ATLSIMPSTR_H */
