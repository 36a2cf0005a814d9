#pragma once
// A real libpam handle for unit tests of the PAM module's parts: a service
// in a private PAM directory, and a conversation function the test supplies.

#include <security/pam_appl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/TestFiles.h"

class TestPamHandle {
public:
    TestPamHandle(const struct pam_conv& conv, const char* user = "alice") {
        std::ofstream(dir_ / "unit") << "auth required pam_permit.so\n";
        conv_ = conv;
        if (pam_start_confdir("unit", user, &conv_, dir_.path().c_str(), &handle_) != PAM_SUCCESS)
            handle_ = nullptr;
    }
    ~TestPamHandle() {
        if (handle_ != nullptr)
            pam_end(handle_, PAM_SUCCESS);
    }
    TestPamHandle(const TestPamHandle&) = delete;
    TestPamHandle& operator=(const TestPamHandle&) = delete;

    pam_handle_t* get() const { return handle_; }

private:
    TempDir dir_{"unit-pam"};
    struct pam_conv conv_ {};
    pam_handle_t* handle_ = nullptr;
};
