#pragma once
// cmocka for C++ test files: its header needs these includes first and has
// no extern "C" guard of its own.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

extern "C" {
#include <cmocka.h>
}

// cmocka's fail() macro breaks std::ios::fail() in templates instantiated
// later (std::regex, streams); tests use fail_msg() instead.
#undef fail
#undef fail_msg
#define fail_msg(...)                          \
    do {                                       \
        print_error(__VA_ARGS__);              \
        print_error("\n");                     \
        _fail(__FILE__, __LINE__);             \
    } while (0)
