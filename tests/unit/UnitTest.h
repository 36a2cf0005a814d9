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
