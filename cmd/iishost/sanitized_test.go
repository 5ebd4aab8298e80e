//go:build asan

package main

// sanitized says the command under test is built with AddressSanitizer (scripts/sanitize.sh),
// which takes over malloc and free and reserves terabytes of shadow address space.
const sanitized = true
