#pragma once
// cmocka for C++ test files: its header needs these includes first and has
// no extern "C" guard of its own.
// cmocka defines a fail() macro, which breaks std::ios::fail(): the stream
// headers go first so their include guards keep them safe.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

extern "C" {
#include <cmocka.h>
}
