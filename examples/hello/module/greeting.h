// greeting.h - the example's request-independent logic, in a source of its own to show a
// module built from several files.
#ifndef EXAMPLE_HELLO_GREETING_H
#define EXAMPLE_HELLO_GREETING_H

#include <cstddef>
#include <string>

// Greeting answers a query string as the cooked URL holds it ("?name=Ada", wide, `chars`
// characters): "Hello, Ada!" for a name of 1 to 32 ASCII letters, else "".
std::string Greeting(const wchar_t* query, size_t chars);

#endif
