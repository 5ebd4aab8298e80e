/* int iis_guarded_call(void (*body)(void *), void *context, StoppedException *stopped)
 * (module_guard.h): calls body(context) inside one SEH scope, as MSVC compiles __try/__except.
 * The frame's handler is __C_specific_handler with a one-entry scope table (begin, end, filter,
 * target); the filter (iis_guard_filter, module_guard_windows.cpp) reads `stopped` from the slot
 * just below the establisher frame (rbp) and picks the exceptions to stop. For those,
 * RtlUnwindEx unwinds body's frames, running their destructors, and resumes at the target,
 * which returns 0; a normal return returns 1. Other exceptions (g++'s own, 0x20474343, among
 * them) pass the frame by as if it had no handler.
 */
    .text
    .globl iis_guarded_call
    .def iis_guarded_call; .scl 2; .type 32; .endef
    .seh_proc iis_guarded_call
iis_guarded_call:
    pushq %rbp
    .seh_pushreg %rbp
    pushq %rbx
    .seh_pushreg %rbx
    movq %rsp, %rbp
    .seh_setframe %rbp, 0
    subq $40, %rsp              /* the callee's home space and, at -8(%rbp), `stopped`; rsp stays 16-aligned */
    .seh_stackalloc 40
    .seh_endprologue
    .seh_handler __C_specific_handler, @except
    .seh_handlerdata
    .long 1
    .rva .Lbegin, .Lend, iis_guard_filter, .Lstopped
    .text
    movq %r8, -8(%rbp)
    movq %rcx, %rax
    movq %rdx, %rcx
.Lbegin:
    call *%rax
    nop                         /* the return address stays inside the scope */
.Lend:
    movl $1, %eax
    movq %rbp, %rsp
    popq %rbx
    popq %rbp
    ret
.Lstopped:                      /* rbp and rbx are restored by the unwind; rsp is not relied on */
    xorl %eax, %eax
    movq %rbp, %rsp
    popq %rbx
    popq %rbp
    ret
    .seh_endproc
