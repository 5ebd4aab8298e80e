//go:build !windows

package cabi

// MSVCLayout says whether the host's vtables follow MSVC's layout (Windows) rather than the
// Itanium ABI's (g++ on Linux); Coverage's slot numbers are in that layout.
const MSVCLayout = false
