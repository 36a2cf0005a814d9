# Like sshd's password method: the application answers every echo-off
# prompt with the password it was given and fails echo-on prompts. The offer
# (an echo-off prompt) gets the wrong password, not "yes": the module
# returns at once (PAM_IGNORE), starting nothing. Timed on the module alone:
# pam_unix adds its own ~2 s delay after a wrong password.
source "$(dirname "$0")/lib.sh"

driver() {
    in_sandbox "$build_dir/tests/tools/pam-driver" --user alice --sshd-password --answers "$WORK/answers" \
        --transcript "$WORK/sshd.transcript" "$@" || true
}

sandbox up
printf 'wrong-password\n' > "$WORK/answers"
# Timed inside pam-driver (the PAM transaction), not the process's start.
result=$(driver --service module-only --timings "$WORK/timings")
elapsed_ms=$(($(cat "$WORK/timings") / 1000))
assert_eq PAM_PERM_DENIED "$result" "libpam's result when the only module ignores"
((elapsed_ms < 1000)) || fail "took ${elapsed_ms} ms"
assert_contains "$WORK/sshd.transcript" "prompt-echo-off: Can't access your account?"

assert_eq PAM_AUTH_ERR "$(driver --service recovery-test)" "stack result"
assert_eq 0 "$(audit "action = 'flow.start'")" "flows started"
echo PASS
