// Defaults for AddressSanitizer builds (go -asan adds -fsanitize=address to every C file).
//
// intercept_tls_get_addr=0: the GCC <= 13 / LLVM <= 16 runtimes take a dynamic TLS block at an
// address 16 mod 4096 for a glibc 2.19-2.24 one and read the allocator's chunk header before
// it as the block's bounds. Modules' __thread variables (SetLastError) make such blocks on
// host threads; if that thread is alive at exit, LeakSanitizer's tracer scans the bogus range
// (0x..000002ff, in the shadow gap) and dies on SIGSEGV. Since glibc 2.25 the blocks are
// malloc'd and reachable from the thread's DTV, so leak checking loses nothing.
// ASAN_OPTIONS still overrides this.
#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "intercept_tls_get_addr=0";
}
#endif
