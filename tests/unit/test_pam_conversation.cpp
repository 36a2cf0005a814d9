// Unit tests for the PAM module's conversation: answers come back as
// secrets, over-long or missing answers are refused, and the application's
// response buffers are freed on every path (the ASan build's leak checker
// sees any that are not) with the cleanup's scan bounded.
#include "tests/unit/UnitTest.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "pam_module/Conversation.h"
#include "tests/unit/PamHandle.h"

using namespace recoveryd;
using namespace recoveryd::pam;

namespace {

// What the test's application does at its next prompt.
struct Application {
    std::string answer;
    bool fail = false;           // returns PAM_CONV_ERR, having allocated a response anyway
    bool no_answer = false;      // returns a response with resp == NULL
    int seen_style = 0;
    std::string seen_text;
};

int converse(int count, const struct pam_message** messages, struct pam_response** responses, void* data) {
    auto& app = *static_cast<Application*>(data);
    assert_int_equal(count, 1);  // one message per call, always
    app.seen_style = messages[0]->msg_style;
    app.seen_text = messages[0]->msg;
    auto* out = static_cast<struct pam_response*>(calloc(1, sizeof(struct pam_response)));
    if (!app.no_answer)
        out->resp = strdup(app.answer.c_str());
    *responses = out;  // also on failure: a careless application; the module must free it
    return app.fail ? PAM_CONV_ERR : PAM_SUCCESS;
}

void asks_with_the_given_style_and_returns_the_answer(void**) {
    Application app;
    app.answer = "not-my-password";
    const struct pam_conv conv{converse, &app};
    TestPamHandle handle(conv);
    assert_non_null(handle.get());
    auto answer = Conversation(handle.get()).ask(MessageStyle::PromptEchoOff, "Recovery code: ");
    assert_true(answer.ok());
    assert_string_equal(answer->c_str(), "not-my-password");
    assert_int_equal(app.seen_style, PAM_PROMPT_ECHO_OFF);
    assert_string_equal(app.seen_text.c_str(), "Recovery code: ");
}

void refuses_an_answer_longer_than_the_protocol_allows(void**) {
    Application app;
    app.answer = std::string(kMaxAnswerBytes + 1, 'A');
    const struct pam_conv conv{converse, &app};
    TestPamHandle handle(conv);
    assert_false(Conversation(handle.get()).ask(MessageStyle::PromptEchoOff, "Code: ").ok());
    app.answer.pop_back();
    assert_true(Conversation(handle.get()).ask(MessageStyle::PromptEchoOff, "Code: ").ok());
}

void a_failed_conversation_is_an_error(void**) {
    Application app;
    app.answer = "yes";
    app.fail = true;
    const struct pam_conv conv{converse, &app};
    TestPamHandle handle(conv);
    assert_false(Conversation(handle.get()).ask(MessageStyle::PromptEchoOn, "Name: ").ok());
    assert_false(Conversation(handle.get()).tell(MessageStyle::TextInfo, "Hello").ok());
}

void no_answer_is_an_error(void**) {
    Application app;
    app.no_answer = true;
    const struct pam_conv conv{converse, &app};
    TestPamHandle handle(conv);
    assert_false(Conversation(handle.get()).ask(MessageStyle::PromptEchoOff, "Code: ").ok());
}

void tell_shows_the_message(void**) {
    Application app;
    const struct pam_conv conv{converse, &app};
    TestPamHandle handle(conv);
    assert_true(Conversation(handle.get()).tell(MessageStyle::ErrorMsg, "Not now.").ok());
    assert_int_equal(app.seen_style, PAM_ERROR_MSG);
    assert_string_equal(app.seen_text.c_str(), "Not now.");
}

void the_cleanup_scan_is_bounded(void**) {
    std::string response(kMaxResponseScanBytes + 100, 'A');  // terminated only far beyond the bound
    assert_int_equal(response_length(response.c_str()), kMaxResponseScanBytes);
    assert_int_equal(response_length("short"), 5);
    assert_int_equal(response_length(""), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(asks_with_the_given_style_and_returns_the_answer),
        cmocka_unit_test(refuses_an_answer_longer_than_the_protocol_allows),
        cmocka_unit_test(a_failed_conversation_is_an_error),
        cmocka_unit_test(no_answer_is_an_error),
        cmocka_unit_test(tell_shows_the_message),
        cmocka_unit_test(the_cleanup_scan_is_bounded),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
