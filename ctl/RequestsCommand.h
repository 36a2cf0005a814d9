#pragma once
// `recoveryctl requests [--all] [--json]` and `recoveryctl watch`: the
// requests for help filed at login prompts (administrators).

#include <cstdint>
#include <string>
#include <vector>

#include "ctl/AdminRecords.h"

namespace recoveryd::ctl {

// Shown before requests (text only, never inside JSON): what a person typed
// into a request proves nothing about who they are.
extern const char* const kIdentityReminder;

// One request: "Request ID" and its fields, one per line; what was typed at
// the prompt (user, contact, reason) and the note in quotes.
std::string format_request_text(const HelpRequest& request);
// The reminder, then each request; or "No open requests." ("No requests."
// with --all) without the reminder.
std::string format_requests_text(const std::vector<HelpRequest>& requests, bool all);
std::string format_requests_json(const std::vector<HelpRequest>& requests);

// watch's line for a signal received at `now`, then the request's fields
// when `details` (the same request, looked up) is not null.
std::string format_filed(std::uint64_t now, const FiledRequest& filed, const HelpRequest* details);

int run_requests(bool all, bool json);
int run_watch();

}  // namespace recoveryd::ctl
