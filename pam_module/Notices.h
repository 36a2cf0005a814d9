#pragma once
// The session part of pam_recovery.so (`session optional pam_recovery.so`):
// at the first login after a password reset, the account's owner sees once
// what recoveryd has to say about it (when, how, from where). The daemon
// writes the text; this only relays it as PAM_TEXT_INFO.
//
// When nothing waits it costs one stat and no bus call: recoveryd keeps a
// marker file per uid while a notice waits (common/NoticeMarker.h), so a
// login never starts a bus-activated daemon for nothing. With the marker
// there, one Manager.TakeNotices call, bounded by timeout_ms. Nothing it
// meets shows or stops the login: failures are silent (logged with `debug`)
// and the marker stays for the next login.

#include <cstdint>
#include <optional>
#include <security/pam_modules.h>
#include <string>

#include "common/NoticeMarker.h"
#include "pam_module/DaemonClient.h"
#include "pam_module/ModuleOptions.h"

namespace recoveryd::pam {

// Where the module looks; unit tests pass their own.
struct NoticeSources {
    std::string marker_directory = kNoticeMarkerDirectory;
    std::string bus_address = kSystemBusAddress;
};

// For pam_sm_open_session. PAM_SUCCESS whether or not anything was shown, so
// that even a `required` line cannot make a session fail; PAM_IGNORE when not
// running as root (as in authentication). With PAM_SILENT nothing is taken:
// the notices wait for a login that may speak.
int show_owner_notices(pam_handle_t* handle, int flags, const ModuleOptions& options,
                       const NoticeSources& sources = {});

// `user`'s uid from the user database; nullopt when there is none or the
// database cannot answer.
std::optional<std::uint32_t> lookup_uid(const char* user);

}  // namespace recoveryd::pam
