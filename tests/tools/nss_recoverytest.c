/* libnss_recoverytest.so.2: an NSS module for one integration test. While
 * /run/recoveryd-test-nss-down exists, it answers every user lookup by name
 * with "try again" (as a directory service that is down does); otherwise
 * "not found", so the next source in nsswitch.conf answers. */
#include <errno.h>
#include <nss.h>
#include <pwd.h>
#include <stddef.h>
#include <unistd.h>

enum nss_status _nss_recoverytest_getpwnam_r(const char* name, struct passwd* entry, char* buffer, size_t size,
                                             int* error);

enum nss_status _nss_recoverytest_getpwnam_r(const char* name, struct passwd* entry, char* buffer, size_t size,
                                             int* error) {
    (void)name;
    (void)entry;
    (void)buffer;
    (void)size;
    if (access("/run/recoveryd-test-nss-down", F_OK) == 0) {
        *error = EAGAIN;
        return NSS_STATUS_TRYAGAIN;
    }
    return NSS_STATUS_NOTFOUND;
}
