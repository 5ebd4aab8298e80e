/*
 * specstrings.h - the older SAL spellings (__in, __out_ecount(n), ...) as
 * empty macros, plus sal.h. Pre-2010 Windows sources annotate with these.
 *
 * __in and __out are the exception in C++: libstdc++ names function
 * parameters `__in` and `__out` (std::get on a pair, ostream inserters,
 * ranges::sample), so empty macros of those names would break <string>,
 * <utility>, <ostream> and <algorithm> whenever they are included after
 * this header. They are therefore defined in C always, and in C++ only when
 * the module asks for them with IISHOST_SAL_IN_OUT, which is safe only if
 * every standard header is included before this one. (__range is left out
 * for the same reason: libstdc++ uses it as a variable name.)
 */
#ifndef IISHOST_SPECSTRINGS_H
#define IISHOST_SPECSTRINGS_H

#include "sal.h"

#if !defined(__cplusplus) || defined(IISHOST_SAL_IN_OUT)
#define __in
#define __out
#endif

/* The statement form of a deliberate switch fall-through. */
#if defined(__has_attribute)
#if __has_attribute(fallthrough)
#define __fallthrough __attribute__((fallthrough))
#endif
#endif
#ifndef __fallthrough
#define __fallthrough
#endif

#define __inout
#define __in_opt
#define __out_opt
#define __inout_opt
#define __in_z
#define __in_z_opt
#define __out_z
#define __out_z_opt
#define __inout_z
#define __inout_z_opt
#define __in_nz
#define __in_nz_opt
#define __out_nz
#define __out_nz_opt
#define __inout_nz
#define __inout_nz_opt
#define __in_ecount(s)
#define __in_bcount(s)
#define __in_ecount_opt(s)
#define __in_bcount_opt(s)
#define __in_ecount_z(s)
#define __in_bcount_z(s)
#define __in_ecount_z_opt(s)
#define __in_bcount_z_opt(s)
#define __in_ecount_nz(s)
#define __in_bcount_nz(s)
#define __in_ecount_nz_opt(s)
#define __in_bcount_nz_opt(s)
#define __in_xcount(s)
#define __in_xcount_opt(s)
#define __out_ecount(s)
#define __out_bcount(s)
#define __out_ecount_opt(s)
#define __out_bcount_opt(s)
#define __out_ecount_part(s,c)
#define __out_bcount_part(s,c)
#define __out_ecount_part_opt(s,c)
#define __out_bcount_part_opt(s,c)
#define __out_ecount_full(s)
#define __out_bcount_full(s)
#define __out_ecount_full_opt(s)
#define __out_bcount_full_opt(s)
#define __out_ecount_z(s)
#define __out_bcount_z(s)
#define __out_ecount_z_opt(s)
#define __out_bcount_z_opt(s)
#define __out_ecount_part_z(s,c)
#define __out_bcount_part_z(s,c)
#define __out_ecount_part_z_opt(s,c)
#define __out_bcount_part_z_opt(s,c)
#define __out_ecount_full_z(s)
#define __out_bcount_full_z(s)
#define __out_ecount_nz(s)
#define __out_bcount_nz(s)
#define __out_xcount(s)
#define __out_xcount_opt(s)
#define __out_xcount_part(s,c)
#define __out_xcount_full(s)
#define __inout_ecount(s)
#define __inout_bcount(s)
#define __inout_ecount_opt(s)
#define __inout_bcount_opt(s)
#define __inout_ecount_part(s,c)
#define __inout_bcount_part(s,c)
#define __inout_ecount_part_opt(s,c)
#define __inout_bcount_part_opt(s,c)
#define __inout_ecount_full(s)
#define __inout_bcount_full(s)
#define __inout_ecount_full_opt(s)
#define __inout_bcount_full_opt(s)
#define __inout_ecount_z(s)
#define __inout_bcount_z(s)
#define __inout_ecount_z_opt(s)
#define __inout_bcount_z_opt(s)
#define __inout_ecount_nz(s)
#define __inout_bcount_nz(s)
#define __inout_xcount(s)
#define __inout_xcount_opt(s)
#define __deref_in
#define __deref_in_opt
#define __deref_opt_in
#define __deref_opt_in_opt
#define __deref_in_ecount(s)
#define __deref_in_bcount(s)
#define __deref_out
#define __deref_out_opt
#define __deref_opt_out
#define __deref_opt_out_opt
#define __deref_out_z
#define __deref_out_z_opt
#define __deref_opt_out_z
#define __deref_out_nz
#define __deref_out_nz_opt
#define __deref_out_ecount(s)
#define __deref_out_bcount(s)
#define __deref_out_ecount_opt(s)
#define __deref_out_bcount_opt(s)
#define __deref_opt_out_ecount(s)
#define __deref_opt_out_bcount(s)
#define __deref_out_ecount_part(s,c)
#define __deref_out_bcount_part(s,c)
#define __deref_out_ecount_full(s)
#define __deref_out_bcount_full(s)
#define __deref_out_ecount_z(s)
#define __deref_out_bcount_z(s)
#define __deref_out_xcount(s)
#define __deref_inout
#define __deref_inout_opt
#define __deref_opt_inout
#define __deref_opt_inout_opt
#define __deref_inout_z
#define __deref_inout_z_opt
#define __deref_inout_ecount(s)
#define __deref_inout_bcount(s)
#define __ecount(s)
#define __bcount(s)
#define __xcount(s)
#define __in_awcount(e,s)
#define __out_awcount(e,s)
#define __field_ecount(s)
#define __field_bcount(s)
#define __field_xcount(s)
#define __field_ecount_opt(s)
#define __field_bcount_opt(s)
#define __field_ecount_part(s,c)
#define __field_bcount_part(s,c)
#define __field_ecount_part_opt(s,c)
#define __field_bcount_part_opt(s,c)
#define __field_ecount_full(s)
#define __field_bcount_full(s)
#define __field_ecount_full_opt(s)
#define __field_bcount_full_opt(s)
#define __field_range(lo,hi)
#define __field_nullterminated
#define __checkReturn
#define __typefix(t)
#define __format_string
#define __nullterminated
#define __nullnullterminated
#define __notnull
#define __maybenull
#define __success(e)
#define __in_range(lo,hi)
#define __out_range(lo,hi)
#define __deref_in_range(lo,hi)
#define __deref_out_range(lo,hi)
#define __analysis_assume(e)
#define __control_entrypoint(c)
#define __rpc_entry
#define __data_entrypoint(c)
#define __kernel_entry
#define __in_data_source(s)
#define __out_data_source(s)
#define __post_invalid
#define __drv_aliasesMem
#define __drv_allocatesMem(k)
#define __drv_freesMem(k)
#define __drv_when(c,a)
#define __drv_maxIRQL(i)
#define __drv_requiresIRQL(i)

#endif /* IISHOST_SPECSTRINGS_H */
