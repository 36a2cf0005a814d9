#pragma once
// What the Admin interface returns and accepts, as recoveryctl holds it.
// dbus/io.recoveryd.Recovery1.xml is the source for every key and unit; the
// field tables below are the one list of keys, used both to read replies and
// to write --json, so the JSON keys are the bus keys by construction.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/Secret.h"

namespace recoveryd::ctl {

// A request for help filed at a login prompt (Admin.ListRequests).
struct HelpRequest {
    std::string id;
    std::string user;     // as typed at the prompt: untrusted
    std::string account;  // "recoverable", or why not
    std::uint64_t filed_at_usec = 0;
    std::string service;
    std::string tty;
    std::string rhost;
    std::string contact;  // typed at the prompt: untrusted
    std::string reason;   // typed at the prompt: untrusted
    std::string state;
    std::string decided_by;
    std::string note;
};

// One row of the audit log (Admin.ListAudit).
struct AuditRow {
    std::uint64_t id = 0;
    std::uint64_t time_usec = 0;
    std::string actor;
    std::string user;
    std::string service;
    std::string tty;
    std::string rhost;
    std::string ruser;
    std::string action;
    std::string outcome;
    std::string detail;
};

// A bus key and the member it fills: exactly one of text and number is set.
template <typename Record>
struct RecordField {
    std::string_view key;
    std::string Record::*text = nullptr;
    std::uint64_t Record::*number = nullptr;
};

inline constexpr std::array<RecordField<HelpRequest>, 12> kHelpRequestFields{{
    {"Id", &HelpRequest::id, nullptr},
    {"User", &HelpRequest::user, nullptr},
    {"Account", &HelpRequest::account, nullptr},
    {"FiledAt", nullptr, &HelpRequest::filed_at_usec},
    {"Service", &HelpRequest::service, nullptr},
    {"Tty", &HelpRequest::tty, nullptr},
    {"RHost", &HelpRequest::rhost, nullptr},
    {"Contact", &HelpRequest::contact, nullptr},
    {"Reason", &HelpRequest::reason, nullptr},
    {"State", &HelpRequest::state, nullptr},
    {"DecidedBy", &HelpRequest::decided_by, nullptr},
    {"Note", &HelpRequest::note, nullptr},
}};

inline constexpr std::array<RecordField<AuditRow>, 11> kAuditRowFields{{
    {"Id", nullptr, &AuditRow::id},
    {"Time", nullptr, &AuditRow::time_usec},
    {"Actor", &AuditRow::actor, nullptr},
    {"User", &AuditRow::user, nullptr},
    {"Service", &AuditRow::service, nullptr},
    {"Tty", &AuditRow::tty, nullptr},
    {"RHost", &AuditRow::rhost, nullptr},
    {"RUser", &AuditRow::ruser, nullptr},
    {"Action", &AuditRow::action, nullptr},
    {"Outcome", &AuditRow::outcome, nullptr},
    {"Detail", &AuditRow::detail, nullptr},
}};

// ListRequests' filter; an unset member is not sent.
struct RequestFilter {
    std::optional<std::string> state;
    std::optional<std::string> user;
};

// ListAudit's filter; an unset member is not sent (the daemon's default).
struct AuditFilter {
    std::optional<std::string> user;
    std::optional<std::uint64_t> since_usec;
    std::optional<std::uint32_t> limit;
};

// VerifyAudit's reply.
struct AuditVerification {
    bool intact = false;
    std::uint64_t rows_checked = 0;
    std::uint64_t first_bad_row = 0;  // 0 when intact
    std::string problem;              // names the row; empty when intact
};

// ApproveRequest's reply: the code exists only here.
struct Approval {
    Secret code;
    std::uint64_t expires_at_usec = 0;
};

// Manager.RequestFiled's arguments. `user` was typed at the prompt.
struct FiledRequest {
    std::string id;
    std::string user;
};

}  // namespace recoveryd::ctl
