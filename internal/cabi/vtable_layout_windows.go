package cabi

// MSVCLayout says whether the host's vtables follow MSVC's layout: on Windows they do, so that
// modules built by Visual C++ find every method in the slot their compiler gave it.
const MSVCLayout = true
