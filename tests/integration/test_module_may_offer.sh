# The module asks MayOffer before it shows the offer, and shows it only on
# "true" from root. A "false", no reply within timeout_ms, or a malformed
# reply: PAM_IGNORE at once, nothing said, nothing started. Against
# fake-recoveryd, which answers MayOffer as asked and logs the calls it gets.
source "$(dirname "$0")/lib.sh"

# case MODE EXPECTED-RESULT NAME: one login against the fake; sets ELAPSED_MS.
case_() {
    fake_start "$1"
    timed_pam module-fast alice "$3" yes
    fake_stop
    assert_eq "$2" "$RESULT" "result when MayOffer is '$1'"
    assert_eq 1 "$(grep -c '^MayOffer' "$WORK/fake.out")" "MayOffer calls when it is '$1'"
}

assert_silent() {  # NAME MODE: no offer, no message, no flow
    [[ ! -s $WORK/$1.transcript ]] || { cat "$WORK/$1.transcript"; fail "the module said something when MayOffer is '$2'"; }
    assert_not_contains "$WORK/fake.out" "StartFlow"
}

sandbox up --no-daemon
printf 'auth required %s timeout_ms=1000\n' "$build_dir/pam_module/pam_recovery.so" |
    in_sandbox tee /etc/pam.d/module-fast >/dev/null

# true: the offer, then the flow (the fake's "succeeded").
case_ succeed PAM_SUCCESS offered
assert_contains "$WORK/offered.transcript" "prompt-echo-off: Can't access your account?"
assert_contains "$WORK/fake.out" "StartFlow user=alice"

# The module alone in its stack: libpam turns its PAM_IGNORE into PAM_PERM_DENIED.
case_ not-offered PAM_PERM_DENIED not-offered
assert_silent not-offered not-offered
case_ bad-may-offer PAM_PERM_DENIED bad
assert_silent bad bad-may-offer
case_ silent-may-offer PAM_PERM_DENIED silent
assert_silent silent silent-may-offer
((ELAPSED_MS < 1000 + 1000)) || fail "an unanswered MayOffer (timeout_ms=1000) took ${ELAPSED_MS} ms"
echo "unanswered MayOffer: ${ELAPSED_MS} ms (limit 1000)"
echo PASS
