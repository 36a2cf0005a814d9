# The module sends Cancel on every way out that leaves a started flow
# unfinished: a malformed reply, a Next that times out, too many rounds, a
# failed conversation; and not after the daemon itself ended the flow. A
# StartFlow reply without a flow object is refused (no crash). Against
# fake-recoveryd, which misbehaves on request and logs the calls it gets.
source "$(dirname "$0")/lib.sh"

# case MODE EXPECTED-RESULT CANCELS ANSWER...: one login against the fake.
case_() {
    local mode=$1 expected=$2 cancels=$3; shift 3
    fake_start "$mode"
    run_pam module-fast alice "$mode" "$@"
    fake_stop
    assert_eq "$expected" "$RESULT" "result when the daemon's Next is '$mode'"
    assert_eq "$cancels" "$(grep -c '^Cancel$' "$WORK/fake.out")" "Cancel calls when Next is '$mode'"
}

sandbox up --no-daemon
printf 'auth required %s timeout_ms=1000 next_timeout_ms=1000\n' "$build_dir/pam_module/pam_recovery.so" |
    in_sandbox tee /etc/pam.d/module-fast >/dev/null

# The fake's "succeeded" ends the flow: nothing to cancel (and the fake works).
case_ succeed PAM_SUCCESS 0 yes
case_ bad-state PAM_AUTHINFO_UNAVAIL 1 yes
case_ bad-signature PAM_AUTHINFO_UNAVAIL 1 yes
# A message with a terminal escape sequence is refused, never shown.
case_ control-text PAM_AUTHINFO_UNAVAIL 1 yes
assert_not_contains "$WORK/control-text.transcript" "owned"
case_ silent-next PAM_AUTHINFO_UNAVAIL 1 yes
# Answers run out at the fake's prompt: the conversation fails.
case_ endless PAM_AUTH_ERR 1 yes
# Every prompt answered: the module stops after its limit of rounds.
mapfile -t many < <(yes fake-answer | head -50)
case_ endless PAM_AUTH_ERR 1 yes "${many[@]}"
(($(grep -c '^Next' "$WORK/fake.out") == 32)) || fail "expected 32 rounds, got $(grep -c '^Next' "$WORK/fake.out")"

# A StartFlow reply with no flow object: refused, nothing else called.
case_ empty-start PAM_AUTHINFO_UNAVAIL 0 yes
assert_not_contains "$WORK/fake.out" "Next"
assert_contains "$WORK/empty-start.transcript" "error: Account recovery is not available right now."
echo PASS
