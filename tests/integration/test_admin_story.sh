# The administrator path end to end: a person who saved no codes asks for
# help at the login prompt; hank (of the helpdesk group the policy names)
# lists the request, approves it, and reads the code out; the person enters
# it at the prompt, sets a new password, and the real pam_unix accepts it.
# Every step is in the audit log with its actor, and the transcript says
# nothing about the account before the code is accepted.
source "$(dirname "$0")/lib.sh"

sandbox up --policy "$(admin_policy)"
hank_uid=$(in_sandbox id -u hank)

# `recoveryctl watch` sees the request as it is filed: it says how many are
# open, then that it waits (subscribed by then).
ctl hank watch > "$WORK/watch.out" 2>&1 &
watcher=$!
for _ in $(seq 100); do grep -q "Waiting for requests" "$WORK/watch.out" && break; sleep 0.1; done
assert_contains "$WORK/watch.out" "No open requests."
assert_contains "$WORK/watch.out" "Waiting for requests"

file_request alice request "+1 555 0100" "I forgot my password after the holidays"
assert_eq PAM_AUTH_ERR "$RESULT" "result of filing a request (nobody signs in)"
assert_contains "$WORK/request.transcript" "info:   3. Request help from an administrator"
assert_contains "$WORK/request.transcript" "prompt-echo-on: Phone number or e-mail address: "
assert_contains "$WORK/request.transcript" "answer: +1 555 0100"
assert_contains "$WORK/request.transcript" "prompt-echo-on: What happened? "
assert_contains "$WORK/request.transcript" "Your request for help has been sent: its number is $REQUEST_ID."

for _ in $(seq 50); do grep -q "$REQUEST_ID" "$WORK/watch.out" && break; sleep 0.1; done
kill "$watcher"; wait "$watcher" || true
assert_contains "$WORK/watch.out" "$REQUEST_ID"
assert_contains "$WORK/watch.out" "alice"

ctl hank requests > "$WORK/requests" || fail "hank cannot list requests: $(cat "$WORK/requests")"
assert_contains "$WORK/requests" "$REQUEST_ID"
assert_contains "$WORK/requests" "+1 555 0100"
assert_contains "$WORK/requests" "I forgot my password after the holidays"
assert_contains "$WORK/requests" "already on file"
ctl hank requests --json > "$WORK/requests.json"
python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 1, rows
r = rows[0]
assert r["Id"] == sys.argv[2] and r["User"] == "alice" and r["State"] == "open", r
assert r["Account"] == "recoverable" and r["Service"] == "recovery-test", r
' "$WORK/requests.json" "$REQUEST_ID" || fail "requests --json: $(cat "$WORK/requests.json")"

approve hank "$REQUEST_ID" --note "called back on the number in the staff directory"
run_pam recovery-test alice recover wrong-password yes 2 "$APPROVAL_CODE" helpdesk-new-password helpdesk-new-password
assert_contains "$WORK/recover.transcript" "info: Code accepted."
assert_contains "$WORK/recover.transcript" "Your password has been changed. Sign in with your new password."
password_works alice helpdesk-new-password || fail "pam_unix rejects the new password"
! password_works alice alice-old-password || fail "the old password still works"

ctl hank requests --all --json > "$WORK/after.json"
grep -q '"State": "completed"' "$WORK/after.json" || fail "the request is not completed: $(cat "$WORK/after.json")"
# The code worked once.
run_pam recovery-test alice again wrong-password yes 2 "$APPROVAL_CODE"
assert_contains "$WORK/again.transcript" "error: That code is not valid."

assert_eq 1 "$(audit "action = 'request.file' AND outcome = 'ok' AND target_user = 'alice'")" "filing rows"
assert_eq 1 "$(audit "action = 'request.approve' AND outcome = 'ok' AND actor = 'uid:$hank_uid (hank)'")" "approval rows by hank"
assert_eq 1 "$(audit "action = 'approval.verify' AND outcome = 'ok'")" "accepted approval codes"
assert_eq 1 "$(audit "action = 'request.complete' AND outcome = 'ok'")" "completed requests"
ctl hank audit --user alice > "$WORK/audit.out" || fail "hank cannot read the audit log"
for action in request.file request.approve approval.verify password.rotate request.complete; do
    assert_contains "$WORK/audit.out" "$action"
done
# No secret reached the log.
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT * FROM audit" > "$WORK/audit.sql"
assert_not_contains "$WORK/audit.sql" "$APPROVAL_CODE"
assert_not_contains "$WORK/audit.sql" "helpdesk-new-password"
echo PASS
