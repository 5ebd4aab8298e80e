/*
 * unknwn.h - IUnknown. It is declared, with IDispatch, by the generated
 * iishost/com_interfaces.h, which needs the automation types of oaidl.h.
 */
#ifndef IISHOST_UNKNWN_H
#define IISHOST_UNKNWN_H

#include "oaidl.h"

#endif /* IISHOST_UNKNWN_H */
