# A login's session part neither waits nor speaks when recoveryd cannot
# answer: with the daemon stopped, with or without a notice waiting, the
# login succeeds and shows nothing, and it does not wait (the session line
# here has timeout_ms=10000, so any wait on the daemon would take 10 s; the
# bound is 5 s). With a stand-in daemon on the bus: no call at all while no
# marker waits, exactly one when it does (its notice shown as it is); a
# daemon that never answers costs at most the module's timeout_ms and shows
# nothing. Timing is checked only against generous upper bounds.
source "$(dirname "$0")/lib.sh"

# session_login USER NAME [SERVICE]: the user's right password, then a
# session (service recovery-test unless given); sets RESULT and ELAPSED_MS.
session_login() {
    echo "$1-old-password" > "$WORK/$2.answers"
    rm -f "$WORK/$2.timings"
    # Timed inside pam-driver (the PAM transaction), not the process's start.
    RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service "${3:-recovery-test}" --user "$1" --session \
        --answers "$WORK/$2.answers" --transcript "$WORK/$2.transcript" --timings "$WORK/$2.timings" || true)
    ELAPSED_MS=$(($(cat "$WORK/$2.timings") / 1000))
    assert_eq PAM_SUCCESS "$RESULT" "$2: $1's login"
}

assert_quiet() {  # NAME: the login showed nothing but the password prompt
    assert_eq "prompt-echo-off: Password: |answer: ****|" "$(tr '\n' '|' < "$WORK/$1.transcript")" "$1: what the login showed"
}

sandbox up
bob_uid=$(in_sandbox id -u bob)
in_sandbox sed 's/^session optional .*/& timeout_ms=10000/' /etc/pam.d/recovery-test |
    in_sandbox tee /etc/pam.d/patient-test > /dev/null
sandbox daemon-stop

session_login bob stopped-unmarked patient-test
assert_quiet stopped-unmarked
((ELAPSED_MS < 5000)) || fail "a login took ${ELAPSED_MS} ms with the daemon stopped"

in_sandbox install -d -m 0700 /var/lib/recoveryd/notices
in_sandbox touch "/var/lib/recoveryd/notices/$bob_uid"
session_login bob stopped-marked patient-test
assert_quiet stopped-marked
((ELAPSED_MS < 5000)) || fail "a login with a marker took ${ELAPSED_MS} ms with the daemon stopped"
in_sandbox test -e "/var/lib/recoveryd/notices/$bob_uid" || fail "the marker went without the notice being shown"

fake_start succeed
session_login alice fake-unmarked
assert_quiet fake-unmarked
session_login bob fake-marked
assert_eq 0 "$(grep -c 'TakeNotices user=alice' "$WORK/fake.out" || true)" "calls for alice (no marker)"
assert_eq 1 "$(grep -c 'TakeNotices user=bob' "$WORK/fake.out" || true)" "calls for bob's login (a marker)"
assert_contains "$WORK/fake-marked.transcript" "info: Fake notice for bob."
fake_stop

fake_start silent-notices
session_login bob fake-silent
assert_quiet fake-silent
((ELAPSED_MS < 8000)) || fail "a login took ${ELAPSED_MS} ms with a daemon that never answers (timeout_ms 1500)"
assert_eq 1 "$(grep -c 'TakeNotices user=bob' "$WORK/fake.out" || true)" "calls for bob's login (a marker)"
fake_stop
echo PASS
