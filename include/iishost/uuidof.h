/*
 * iishost/uuidof.h - MSVC's __uuidof for types, in C++: __uuidof(T) is
 * IisUuidOf<T>::Get(), the ID trait that the generated headers specialize
 * for every interface they declare and for the coclasses of ahadmin.h
 * (AppHostAdminManager, ...). windows.h includes it because __uuidof is a
 * keyword in MSVC, there wherever Windows code is.
 *
 * It takes a TYPE (pointers, references, array bounds and cv-qualifiers are
 * stripped, as MSVC does); MSVC also accepts an expression (__uuidof(*p)),
 * which this one does not. An interface of a module's own needs a
 * specialization, since __declspec(uuid(...)) is empty here:
 *     template <> struct IisUuidOf<IMyThing> {
 *         static const GUID &Get() { return IID_IMyThing; }
 *     };
 * If the compiler already defines a __uuidof macro, that one stays.
 */
#ifndef IISHOST_UUIDOF_H
#define IISHOST_UUIDOF_H

#ifdef __cplusplus

#include <stddef.h>

#include "guid.h"

#if !defined(IISHOST_UUIDOF_DECLARED)
#define IISHOST_UUIDOF_DECLARED
extern "C++" template <class T> struct IisUuidOf;
#endif

extern "C++" {
/* T without pointers, references, array bounds and cv-qualifiers. */
template <class T> struct iishost_uuid_strip { typedef T type; };
template <class T> struct iishost_uuid_strip<T *> : iishost_uuid_strip<T> {};
template <class T> struct iishost_uuid_strip<T &> : iishost_uuid_strip<T> {};
template <class T> struct iishost_uuid_strip<T[]> : iishost_uuid_strip<T> {};
template <class T, size_t N> struct iishost_uuid_strip<T[N]> : iishost_uuid_strip<T> {};
template <class T> struct iishost_uuid_strip<const T> : iishost_uuid_strip<T> {};
template <class T> struct iishost_uuid_strip<volatile T> : iishost_uuid_strip<T> {};
template <class T> struct iishost_uuid_strip<const volatile T> : iishost_uuid_strip<T> {};
}

#ifndef __uuidof
#define __uuidof(T) (IisUuidOf<typename iishost_uuid_strip<T>::type>::Get())
#endif

#endif /* __cplusplus */

#endif /* IISHOST_UUIDOF_H */
