// Windows has no crash reporter yet (crash_windows.go says so to the caller): a faulting module
// ends the process through Windows' own unhandled-exception handling, unnamed. The image table
// crash_report_linux.cpp keeps serves only that reporter, so nothing is noted here.
#include "forward.h"
#include "module_calls.h"

void iishost::NoteModuleImage(const char *, const void *) {}
