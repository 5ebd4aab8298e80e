/* seh_guard.S: int GuardedCall(int (*fn)(int), int arg, int *caught) for MinGW programs.
 *
 * Calls fn(arg). A C++ exception that MSVC-ABI code throws out of fn (RaiseException code
 * 0xE06D7363) is not caught by g++'s catch (...); here it stops as at __try/__except: the SEH
 * handler is __C_specific_handler with one scope-table entry (begin, end, filter, target), the
 * filter (GuardFilter, in C) picks the exceptions to stop, RtlUnwindEx unwinds fn's frames
 * (running their destructors) and resumes at the target, which sets *caught = 1 and returns -1.
 */
    .text
    .globl GuardedCall
    .def GuardedCall; .scl 2; .type 32; .endef
    .seh_proc GuardedCall
GuardedCall:
    pushq %rbp
    .seh_pushreg %rbp
    pushq %rbx
    .seh_pushreg %rbx
    movq %rsp, %rbp
    .seh_setframe %rbp, 0
    subq $40, %rsp              /* the callee's home space, keeping rsp 16-aligned */
    .seh_stackalloc 40
    .seh_endprologue
    .seh_handler __C_specific_handler, @except
    .seh_handlerdata
    .long 1
    .rva .Lbegin, .Lend, GuardFilter, .Lcaught
    .text
    movq %r8, %rbx
    movl $0, (%rbx)
    movq %rcx, %rax
    movl %edx, %ecx
.Lbegin:
    call *%rax
    nop                         /* the return address stays inside the scope */
.Lend:
    movq %rbp, %rsp
    popq %rbx
    popq %rbp
    ret
.Lcaught:                       /* rbp and rbx are restored by the unwind; rsp is not relied on */
    movl $1, (%rbx)
    movl $-1, %eax
    movq %rbp, %rsp
    popq %rbx
    popq %rbp
    ret
    .seh_endproc
