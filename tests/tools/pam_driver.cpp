// pam-driver: runs pam_start / pam_authenticate [/ pam_acct_mgmt]
// [/ pam_open_session / pam_close_session] / pam_end
// with a conversation that answers each prompt with the next line of a file
// (read only when a prompt needs it, so a test can keep a login waiting at
// a prompt by holding the file open) and writes a transcript as it goes:
//   prompt-echo-off: TEXT | prompt-echo-on: TEXT | error: TEXT | info: TEXT
//   answer: **** (echo-off answers) | answer: TEXT (echo-on answers)
// It prints the PAM result's name and exits 0 for PAM_SUCCESS, else 1.
#include <security/pam_appl.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

// The answers, read lazily. Lines read once are kept, so that --repeat
// replays them in every run.
class Answers {
public:
    explicit Answers(std::istream* in) : in_(in) {}

    // The answer at `index`, reading one more line when needed.
    std::optional<std::string> at(std::size_t index) {
        while (index >= lines_.size()) {
            std::string line;
            if (in_ == nullptr || !std::getline(*in_, line))
                return std::nullopt;
            lines_.push_back(line);
        }
        return lines_[index];
    }

private:
    std::istream* in_;
    std::vector<std::string> lines_;
};

enum class Mode {
    Scripted,       // each prompt gets the next answer
    EchoOnFails,    // the same, but echo-on prompts fail
    SshdPassword,   // like sshd's password method: every echo-off prompt gets
                    // the first answer (the password), echo-on prompts fail
};

struct Script {
    Answers& answers;
    Mode mode;
    std::ostream& transcript;
    std::size_t next = 0;
    // An application that changes PAM_USER in its conversation: at prompt
    // number `switch_at` (from 0), PAM_USER becomes `switch_user`.
    pam_handle_t* handle = nullptr;
    std::string switch_user;
    std::size_t switch_at = SIZE_MAX;
    std::size_t prompts = 0;

    void record(const std::string& line) { transcript << line << "\n" << std::flush; }
};

std::string one_line(const char* text) {
    std::string out;
    for (const char* p = text ? text : ""; *p; ++p)
        out += *p == '\n' ? std::string("\\n") : std::string(1, *p);
    return out;
}

std::optional<std::string> answer_for(bool echo, Script& script) {
    switch (script.mode) {
    case Mode::Scripted:
        return script.answers.at(script.next++);
    case Mode::EchoOnFails:
        return echo ? std::nullopt : script.answers.at(script.next++);
    case Mode::SshdPassword:
        return echo ? std::nullopt : script.answers.at(0);
    }
    return std::nullopt;
}

int answer_one(const struct pam_message* message, struct pam_response* response, Script& script) {
    switch (message->msg_style) {
    case PAM_ERROR_MSG:
        script.record("error: " + one_line(message->msg));
        return PAM_SUCCESS;
    case PAM_TEXT_INFO:
        script.record("info: " + one_line(message->msg));
        return PAM_SUCCESS;
    case PAM_PROMPT_ECHO_ON:
    case PAM_PROMPT_ECHO_OFF:
        break;
    default:
        return PAM_CONV_ERR;
    }
    if (script.prompts++ == script.switch_at) {
        if (pam_set_item(script.handle, PAM_USER, script.switch_user.c_str()) != PAM_SUCCESS)
            return PAM_CONV_ERR;
        script.record("switched PAM_USER to " + script.switch_user);
    }
    const bool echo = message->msg_style == PAM_PROMPT_ECHO_ON;
    script.record(std::string(echo ? "prompt-echo-on: " : "prompt-echo-off: ") + one_line(message->msg));
    const auto answer = answer_for(echo, script);
    if (!answer)
        return PAM_CONV_ERR;
    script.record("answer: " + (echo ? *answer : std::string("****")));
    response->resp = strdup(answer->c_str());
    return response->resp ? PAM_SUCCESS : PAM_BUF_ERR;
}

int converse(int count, const struct pam_message** messages, struct pam_response** responses, void* data) {
    auto& script = *static_cast<Script*>(data);
    auto* out = static_cast<struct pam_response*>(calloc(static_cast<std::size_t>(count), sizeof(struct pam_response)));
    if (out == nullptr)
        return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        if (answer_one(messages[i], &out[i], script) != PAM_SUCCESS) {
            for (int j = 0; j < count; ++j)
                free(out[j].resp);
            free(out);
            return PAM_CONV_ERR;
        }
    }
    *responses = out;
    return PAM_SUCCESS;
}

const char* result_name(int r) {
    static const std::map<int, const char*> names = {
        {PAM_SUCCESS, "PAM_SUCCESS"},         {PAM_AUTH_ERR, "PAM_AUTH_ERR"},
        {PAM_IGNORE, "PAM_IGNORE"},           {PAM_AUTHINFO_UNAVAIL, "PAM_AUTHINFO_UNAVAIL"},
        {PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN"}, {PAM_PERM_DENIED, "PAM_PERM_DENIED"},
        {PAM_CONV_ERR, "PAM_CONV_ERR"},       {PAM_MAXTRIES, "PAM_MAXTRIES"},
        {PAM_SERVICE_ERR, "PAM_SERVICE_ERR"}, {PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR"},
        {PAM_ABORT, "PAM_ABORT"},             {PAM_ACCT_EXPIRED, "PAM_ACCT_EXPIRED"},
        {PAM_NEW_AUTHTOK_REQD, "PAM_NEW_AUTHTOK_REQD"}, {PAM_CRED_INSUFFICIENT, "PAM_CRED_INSUFFICIENT"},
    };
    auto it = names.find(r);
    return it == names.end() ? "PAM_UNKNOWN_RESULT" : it->second;
}

struct Options {
    std::string service, user, confdir, tty = "pam-driver", rhost, ruser;
    bool account = false;
    bool session = false;
};

int run_once(const Options& options, Script& script) {
    struct pam_conv conv = {converse, &script};
    pam_handle_t* handle = nullptr;
    int r = options.confdir.empty()
                ? pam_start(options.service.c_str(), options.user.c_str(), &conv, &handle)
                : pam_start_confdir(options.service.c_str(), options.user.c_str(), &conv, options.confdir.c_str(),
                                    &handle);
    if (r != PAM_SUCCESS)
        return r;
    script.handle = handle;
    script.prompts = 0;
    pam_set_item(handle, PAM_TTY, options.tty.c_str());
    if (!options.rhost.empty())
        pam_set_item(handle, PAM_RHOST, options.rhost.c_str());
    if (!options.ruser.empty())
        pam_set_item(handle, PAM_RUSER, options.ruser.c_str());
    r = pam_authenticate(handle, 0);
    if (r == PAM_SUCCESS && options.account)
        r = pam_acct_mgmt(handle, 0);
    if (r == PAM_SUCCESS && options.session) {
        r = pam_open_session(handle, 0);
        if (r == PAM_SUCCESS)
            r = pam_close_session(handle, 0);
    }
    pam_end(handle, r);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Run a PAM authentication with scripted answers"};
    Options options;
    std::string answers_file, transcript_file, timings_file;
    bool conv_fails = false, sshd_password = false;
    int repeat = 1;
    std::string switch_user;
    std::size_t switch_at = SIZE_MAX;
    app.add_option("--service", options.service, "PAM service name")->required();
    app.add_option("--user", options.user, "user to authenticate")->required();
    app.add_option("--answers", answers_file, "file with one answer per line ('-' for stdin), read as prompts come");
    app.add_option("--transcript", transcript_file, "where to write the transcript (written as it goes)");
    app.add_option("--confdir", options.confdir, "read PAM services from this directory");
    app.add_option("--tty", options.tty, "PAM_TTY (default: pam-driver)");
    app.add_option("--rhost", options.rhost, "PAM_RHOST, as sshd sets it (default: none)");
    app.add_option("--ruser", options.ruser, "PAM_RUSER, as su and sudo set it (default: none)");
    app.add_flag("--acct", options.account, "also run pam_acct_mgmt");
    app.add_flag("--session", options.session, "after a successful authentication, open and close a session");
    auto* fails = app.add_flag("--conv-fails", conv_fails, "fail echo-on prompts");
    app.add_flag("--sshd-password", sshd_password,
                 "answer like sshd's password method: every echo-off prompt gets the first answer, "
                 "echo-on prompts fail")
        ->excludes(fails);
    auto* switching = app.add_option("--switch-user", switch_user, "change PAM_USER to this name in the conversation");
    app.add_option("--switch-at", switch_at, "... when asked prompt number N (from 0)")->needs(switching);
    app.add_option("--repeat", repeat, "authenticate this many times (benchmarks)")->check(CLI::PositiveNumber);
    app.add_option("--timings", timings_file, "append each authentication's duration in microseconds");
    CLI11_PARSE(app, argc, argv);

    std::ifstream file;
    std::istream* in = nullptr;
    if (answers_file == "-") {
        in = &std::cin;
    } else if (!answers_file.empty()) {
        file.open(answers_file);
        in = &file;
    }
    Answers answers(in);
    const Mode mode = sshd_password ? Mode::SshdPassword : conv_fails ? Mode::EchoOnFails : Mode::Scripted;

    int r = PAM_SUCCESS;
    std::ofstream timings;
    if (!timings_file.empty())
        timings.open(timings_file, std::ios::app);
    for (int i = 0; i < repeat; ++i) {
        std::ofstream transcript_out;  // each run starts the transcript afresh
        if (!transcript_file.empty())
            transcript_out.open(transcript_file, std::ios::trunc);
        std::ostream discard(nullptr);
        Script script{answers, mode, transcript_file.empty() ? discard : transcript_out, 0, nullptr, switch_user,
                      switch_at, 0};
        const auto start = std::chrono::steady_clock::now();
        r = run_once(options, script);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        if (timings.is_open())
            timings << std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() << "\n";
    }
    std::printf("%s\n", result_name(r));
    return r == PAM_SUCCESS ? 0 : 1;
}
