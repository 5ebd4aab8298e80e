/* NOMINMAX in C: no min or max macros, so a module's own functions of those names compile. */
#define NOMINMAX
#include <windows.h>

static int min(int a, int b) { return a < b ? a : b; }
static int max(int a, int b) { return a > b ? a : b; }

int MinMaxNone(int a, int b);
int MinMaxNone(int a, int b) { return min(a, b) + max(a, b); }
