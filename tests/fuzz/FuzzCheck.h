#pragma once
// A failed property in a fuzz target: say which, then abort so that
// libFuzzer saves the input that broke it.
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                     \
    do {                                                                          \
        if (!(condition)) {                                                       \
            std::fprintf(stderr, "property failed: %s (%s:%d)\n", #condition,     \
                         __FILE__, __LINE__);                                     \
            std::abort();                                                         \
        }                                                                         \
    } while (0)
