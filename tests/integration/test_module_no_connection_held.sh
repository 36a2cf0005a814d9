# A login waiting for a person holds no bus connection: the module connects
# for each call and closes the connection right after, holding only the
# flow's path in between. Root's connection count on the bus stays where it
# was while a login waits at "Recovery code:", and the recovery then
# completes through fresh connections.
source "$(dirname "$0")/lib.sh"

# Connections on the sandbox's bus: "PROCESS USER" per unique name.
connections() { in_sandbox busctl --system list --unique --no-legend --no-pager | awk '{ print $3, $4 }'; }

sandbox up
enroll_codes alice
root_before=$(connections | grep -c ' root$' || true)

mkfifo "$WORK/answers.fifo"
in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user alice \
    --answers "$WORK/answers.fifo" --transcript "$WORK/waiting.transcript" > "$WORK/waiting.result" &
driver=$!
exec 3>"$WORK/answers.fifo"
printf 'wrong-password\nyes\n1\n' >&3
for _ in $(seq 100); do grep -q "Recovery code: " "$WORK/waiting.transcript" 2>/dev/null && break; sleep 0.1; done
assert_contains "$WORK/waiting.transcript" "prompt-echo-off: Recovery code: "

connections > "$WORK/connections"
assert_eq 0 "$(grep -c '^pam-driver ' "$WORK/connections" || true)" "bus connections of the waiting login"
assert_eq "$root_before" "$(grep -c ' root$' "$WORK/connections" || true)" "root's connections while a login waits"

printf '%s\n' "${CODES[2]}" waiting-new-password waiting-new-password >&3
exec 3>&-
wait "$driver" || true
assert_eq PAM_AUTH_ERR "$(cat "$WORK/waiting.result")" "result after the password changed (sign in again)"
assert_contains "$WORK/waiting.transcript" "Your password has been changed."
password_works alice waiting-new-password || fail "pam_unix rejects the new password"
echo PASS
