// pam-driver: runs pam_start / pam_authenticate [/ pam_acct_mgmt] / pam_end
// with a conversation that answers each prompt with the next line of a file
// and writes a transcript:
//   prompt-echo-off: TEXT | prompt-echo-on: TEXT | error: TEXT | info: TEXT
//   answer: **** (echo-off answers) | answer: TEXT (echo-on answers)
// It prints the PAM result's name and exits 0 for PAM_SUCCESS, else 1.
#include <security/pam_appl.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

struct Script {
    std::vector<std::string> answers;
    std::size_t next = 0;
    bool echo_on_fails = false;  // like sshd's password method
    std::string transcript;
};

std::string one_line(const char* text) {
    std::string out;
    for (const char* p = text ? text : ""; *p; ++p)
        out += *p == '\n' ? std::string("\\n") : std::string(1, *p);
    return out;
}

int answer_one(const struct pam_message* message, struct pam_response* response, Script& script) {
    switch (message->msg_style) {
    case PAM_ERROR_MSG:
        script.transcript += "error: " + one_line(message->msg) + "\n";
        return PAM_SUCCESS;
    case PAM_TEXT_INFO:
        script.transcript += "info: " + one_line(message->msg) + "\n";
        return PAM_SUCCESS;
    case PAM_PROMPT_ECHO_ON:
    case PAM_PROMPT_ECHO_OFF:
        break;
    default:
        return PAM_CONV_ERR;
    }
    const bool echo = message->msg_style == PAM_PROMPT_ECHO_ON;
    script.transcript += std::string(echo ? "prompt-echo-on: " : "prompt-echo-off: ") + one_line(message->msg) + "\n";
    if ((echo && script.echo_on_fails) || script.next == script.answers.size())
        return PAM_CONV_ERR;
    const std::string& answer = script.answers[script.next++];
    script.transcript += "answer: " + (echo ? answer : std::string("****")) + "\n";
    response->resp = strdup(answer.c_str());
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

int run_once(const std::string& service, const std::string& user, const std::string& confdir, bool account,
             Script& script) {
    struct pam_conv conv = {converse, &script};
    pam_handle_t* handle = nullptr;
    int r = confdir.empty() ? pam_start(service.c_str(), user.c_str(), &conv, &handle)
                            : pam_start_confdir(service.c_str(), user.c_str(), &conv, confdir.c_str(), &handle);
    if (r != PAM_SUCCESS)
        return r;
    pam_set_item(handle, PAM_TTY, "pam-driver");
    r = pam_authenticate(handle, 0);
    if (r == PAM_SUCCESS && account)
        r = pam_acct_mgmt(handle, 0);
    pam_end(handle, r);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Run a PAM authentication with scripted answers"};
    std::string service, user, answers_file, transcript_file, confdir, timings_file;
    bool account = false, conv_fails = false;
    int repeat = 1;
    app.add_option("--service", service, "PAM service name")->required();
    app.add_option("--user", user, "user to authenticate")->required();
    app.add_option("--answers", answers_file, "file with one answer per line ('-' for stdin)");
    app.add_option("--transcript", transcript_file, "where to write the transcript");
    app.add_option("--confdir", confdir, "read PAM services from this directory");
    app.add_flag("--acct", account, "also run pam_acct_mgmt");
    app.add_flag("--conv-fails", conv_fails, "fail echo-on prompts, as sshd's password method does");
    app.add_option("--repeat", repeat, "authenticate this many times (benchmarks)")->check(CLI::PositiveNumber);
    app.add_option("--timings", timings_file, "append each authentication's duration in microseconds");
    CLI11_PARSE(app, argc, argv);

    std::vector<std::string> answers;
    if (!answers_file.empty()) {
        std::ifstream file;
        if (answers_file != "-")
            file.open(answers_file);
        std::istream& in = answers_file == "-" ? std::cin : file;
        for (std::string line; std::getline(in, line);)
            answers.push_back(line);
    }
    int r = PAM_SUCCESS;
    std::string transcript;
    std::ofstream timings;
    if (!timings_file.empty())
        timings.open(timings_file, std::ios::app);
    for (int i = 0; i < repeat; ++i) {
        Script script{answers, 0, conv_fails, {}};
        const auto start = std::chrono::steady_clock::now();
        r = run_once(service, user, confdir, account, script);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        if (timings.is_open())
            timings << std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() << "\n";
        transcript = script.transcript;
    }
    if (!transcript_file.empty())
        std::ofstream(transcript_file) << transcript;
    std::printf("%s\n", result_name(r));
    return r == PAM_SUCCESS ? 0 : 1;
}
