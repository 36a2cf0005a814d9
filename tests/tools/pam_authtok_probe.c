/* pam_authtok_probe.so: a test PAM module that reports what later modules
 * in the stack would receive as PAM_AUTHTOK. Its auth step appends "set" or
 * "unset" (never the token itself) to the file named by its one argument
 * and returns PAM_SUCCESS. For tests only; never installed. */
#include <security/pam_modules.h>
#include <stdio.h>

__attribute__((visibility("default"))) int pam_sm_authenticate(pam_handle_t* handle, int flags, int argc,
                                                               const char** argv) {
    const void* token = NULL;
    FILE* out;
    (void)flags;
    if (argc != 1)
        return PAM_SERVICE_ERR;
    if (pam_get_item(handle, PAM_AUTHTOK, &token) != PAM_SUCCESS)
        return PAM_SERVICE_ERR;
    out = fopen(argv[0], "ae");
    if (out == NULL)
        return PAM_SERVICE_ERR;
    fputs(token != NULL ? "set\n" : "unset\n", out);
    return fclose(out) == 0 ? PAM_SUCCESS : PAM_SERVICE_ERR;
}

__attribute__((visibility("default"))) int pam_sm_setcred(pam_handle_t* handle, int flags, int argc,
                                                          const char** argv) {
    (void)handle;
    (void)flags;
    (void)argc;
    (void)argv;
    return PAM_SUCCESS;
}
