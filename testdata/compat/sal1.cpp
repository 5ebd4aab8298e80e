/* sal1.cpp - SAL 1 from sal.h alone, in C++, with the standard headers that name parameters
 * __in and __out (libstdc++) after it: they still compile and work. */
#include <sal.h>

#include "check.h"
#include "sal1_tests.h"

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>

int main()
{
    test_sal1();
    std::pair<int, std::string> pair(1, "one");
    std::ostringstream out;
    out << std::get<1>(pair) << std::max(2, 3);
    std::string text = out.str(); // kept alive past the check
    CHECK_STR(text.c_str(), "one3");
    return check_finish();
}
