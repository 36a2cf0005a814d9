# With recoveryd stopped or hung, the module says so in one line and returns
# PAM_AUTHINFO_UNAVAIL within 2 seconds.
source "$(dirname "$0")/lib.sh"

timed_attempt() {  # name -> sets RESULT and ELAPSED_MS
    local start end
    start=$(date +%s%N)
    run_pam module-only alice "$1" yes
    end=$(date +%s%N)
    ELAPSED_MS=$(((end - start) / 1000000))
}

sandbox up
sandbox daemon-stop
timed_attempt stopped
assert_eq PAM_AUTHINFO_UNAVAIL "$RESULT" "result with the daemon stopped"
assert_contains "$WORK/stopped.transcript" "error: Account recovery is not available right now."
((ELAPSED_MS < 2000)) || fail "took ${ELAPSED_MS} ms with the daemon stopped"

sandbox daemon-start
in_sandbox kill -STOP "$(cat "$SANDBOX/daemon.pid")"
timed_attempt hung
in_sandbox kill -CONT "$(cat "$SANDBOX/daemon.pid")"
assert_eq PAM_AUTHINFO_UNAVAIL "$RESULT" "result with the daemon hung"
((ELAPSED_MS < 2000)) || fail "took ${ELAPSED_MS} ms with the daemon hung"
echo "stopped: fast; hung: ${ELAPSED_MS} ms"
echo PASS
