/*
 * cstringt.h - CStringT, which iishost declares in atlstr.h.
 */
#ifndef IISHOST_CSTRINGT_H
#define IISHOST_CSTRINGT_H

#include "atlstr.h"

#endif /* IISHOST_CSTRINGT_H */
