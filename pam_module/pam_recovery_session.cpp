// pam_recovery.so's session entry points: `session optional pam_recovery.so`
// shows the account's owner, once, that their password was reset
// (pam_module/Notices). It never makes a session fail.
#include <security/pam_modules.h>

#include "pam_module/ModuleOptions.h"
#include "pam_module/Notices.h"

extern "C" __attribute__((visibility("default"))) int pam_sm_open_session(pam_handle_t* handle, int flags, int argc,
                                                                          const char** argv) {
    using namespace recoveryd::pam;
    try {
        return show_owner_notices(handle, flags, read_module_options(handle, argc, argv));
    } catch (...) {
        // Nothing may unwind into the application, and a notice is not
        // worth a failed session.
        return PAM_SUCCESS;
    }
}

// Nothing was set up that needs undoing.
extern "C" __attribute__((visibility("default"))) int pam_sm_close_session(pam_handle_t* handle, int flags, int argc,
                                                                           const char** argv) {
    (void)handle;
    (void)flags;
    (void)argc;
    (void)argv;
    return PAM_SUCCESS;
}
