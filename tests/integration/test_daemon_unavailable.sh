# With recoveryd stopped or hung, the module offers nothing: its MayOffer
# call fails (at once, or by its timeout_ms, 1500 ms by default), and it
# returns PAM_IGNORE without a word, within timeout_ms plus a second for
# starting the program (an upper bound only); the login goes on as without
# the module (docs/decisions/pam-module.md).
source "$(dirname "$0")/lib.sh"

timed_attempt() {  # name -> sets RESULT and ELAPSED_MS
    timed_pam module-only alice "$1" yes
}

# The module alone in its stack: libpam turns its PAM_IGNORE into PAM_PERM_DENIED.
assert_ignored() {  # name what
    assert_eq PAM_PERM_DENIED "$RESULT" "result with the daemon $2 (PAM_IGNORE)"
    [[ ! -s $WORK/$1.transcript ]] || { cat "$WORK/$1.transcript"; fail "the module said something with the daemon $2"; }
    ((ELAPSED_MS < 1500 + 1000)) || fail "took ${ELAPSED_MS} ms with the daemon $2 (timeout_ms=1500)"
}

sandbox up
sandbox daemon-stop
timed_attempt stopped
assert_ignored stopped stopped
stopped_ms=$ELAPSED_MS

sandbox daemon-start
in_sandbox kill -STOP "$(cat "$SANDBOX/daemon.pid")"
timed_attempt hung
in_sandbox kill -CONT "$(cat "$SANDBOX/daemon.pid")"
assert_ignored hung hung

# A correct password is unaffected either way (the module is never reached),
# and a wrong one fails as it would without the module.
sandbox daemon-stop
run_pam recovery-test alice right alice-old-password
assert_eq PAM_SUCCESS "$RESULT" "the right password with the daemon stopped"
run_pam recovery-test alice wrong wrong-password yes
assert_eq PAM_AUTH_ERR "$RESULT" "a wrong password with the daemon stopped"
run_pam without-recovery-test alice without wrong-password yes
cmp "$WORK/wrong.transcript" "$WORK/without.transcript" || fail "with the daemon stopped, the transcript differs from the stack without the module"
echo "stopped: ${stopped_ms} ms; hung: ${ELAPSED_MS} ms"
echo PASS
