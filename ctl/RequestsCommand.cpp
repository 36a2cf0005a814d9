#include "ctl/RequestsCommand.h"

#include <cstdio>

#include "common/UntrustedText.h"
#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "ctl/RecordJson.h"
#include "ctl/TimeArgs.h"

namespace recoveryd::ctl {
namespace {

std::string or_none(const std::string& text) {
    return text.empty() ? "(none)" : escape_untrusted(text);
}

// The fields under a request's first line, indented.
std::string format_fields(const HelpRequest& r) {
    std::string out;
    const auto line = [&out](const char* label, const std::string& value) {
        out += "  ";
        out += label;
        out += value;
        out += '\n';
    };
    line("User:        ", quote_untrusted(r.user));
    line("Account:     ", or_none(r.account));
    line("Filed at:    ", utc_from_usec(r.filed_at_usec));
    line("Service:     ", or_none(r.service));
    line("TTY:         ", or_none(r.tty));
    line("Remote host: ", or_none(r.rhost));
    line("Contact:     ", quote_untrusted(r.contact));
    line("Reason:      ", quote_untrusted(r.reason));
    line("State:       ", or_none(r.state));
    line("Decided by:  ", or_none(r.decided_by));
    line("Note:        ", r.note.empty() ? "(none)" : quote_untrusted(r.note));
    return out;
}

std::string open_requests_text(std::size_t count) {
    if (count == 0)
        return "No open requests.\n";
    if (count == 1)
        return "1 open request: recoveryctl requests shows it.\n";
    return std::to_string(count) + " open requests: recoveryctl requests shows them.\n";
}

}  // namespace

const char* const kIdentityReminder =
    "Confirm each person's identity through contact details already on file, never only\n"
    "through those typed into a request: whoever sat at the login prompt wrote them.\n";

std::string format_request_text(const HelpRequest& request) {
    return "Request " + escape_untrusted(request.id) + "\n" + format_fields(request);
}

std::string format_requests_text(const std::vector<HelpRequest>& requests, bool all) {
    if (requests.empty())
        return all ? "No requests.\n" : "No open requests.\n";
    std::string out = kIdentityReminder;
    for (const HelpRequest& request : requests)
        out += "\n" + format_request_text(request);
    return out;
}

std::string format_requests_json(const std::vector<HelpRequest>& requests) {
    return records_to_json(requests, kHelpRequestFields);
}

std::string format_filed(std::uint64_t now, const FiledRequest& filed, const HelpRequest* details) {
    std::string out = utc_from_usec(now) + "  request " + escape_untrusted(filed.id) + " for " + quote_untrusted(filed.user) + "\n";
    if (details)
        out += format_fields(*details);
    return out;
}

int run_requests(bool all, bool json) {
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    RequestFilter filter;
    if (!all)
        filter.state = "open";
    auto requests = client->list_requests(filter);
    if (!requests)
        return report_error(requests.error());
    const std::string text = json ? format_requests_json(*requests) : format_requests_text(*requests, all);
    std::fputs(text.c_str(), stdout);
    return kExitOk;
}

int run_watch() {
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    // The bus policy keeps RequestFiled from whoever is not allowed to hear
    // it, so a refused watch would wait in silence: the daemon judges the
    // caller with a call of its own, made once subscribed, so that a
    // request filed meanwhile is counted or shown, never missed.
    const auto on_subscribed = [&client]() -> Result<void> {
        auto open = client->list_requests(RequestFilter{std::string("open"), std::nullopt});
        if (!open)
            return open.error();
        std::printf("%s\n%s", kIdentityReminder, open_requests_text(open->size()).c_str());
        std::printf("Waiting for requests (Ctrl-C to stop).\n\n");
        std::fflush(stdout);
        return {};
    };
    // The details are a second call: if it fails (the daemon restarting),
    // the signal's own line is still worth printing.
    const auto on_filed = [&client](const FiledRequest& filed) {
        const std::uint64_t received = now_usec();
        auto requests = client->list_requests(RequestFilter{std::nullopt, filed.user});
        const HelpRequest* details = nullptr;
        if (requests)
            for (const HelpRequest& request : *requests)
                if (request.id == filed.id)
                    details = &request;
        std::fputs(format_filed(received, filed, details).c_str(), stdout);
        std::fputs("\n", stdout);
        std::fflush(stdout);
    };
    auto watched = client->watch_requests(on_subscribed, on_filed);
    if (!watched)
        return report_error(watched.error());
    return kExitOk;
}

}  // namespace recoveryd::ctl
