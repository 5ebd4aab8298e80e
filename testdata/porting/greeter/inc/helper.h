// helper.h - included as "Inc\Helper.H", as a Windows source may spell it.
#pragma once

static inline int HelperTwice(int x) { return 2 * x; }
