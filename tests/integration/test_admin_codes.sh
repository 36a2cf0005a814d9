# Approval codes fail exactly like any wrong code when they are another
# user's, denied, expired or used; and 50 logins racing to use one code
# get exactly one success (DESIGN.md invariant 5). The deny is audited with
# hank as its actor, and root approves through recoveryctl too.
source "$(dirname "$0")/lib.sh"

sandbox up --policy "$(admin_policy)"
hank_uid=$(in_sandbox id -u hank)
db() { in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "$@"; }
run_pam recovery-test bob wrong wrong-password yes 2 7KQ2-M9XD-4RTA
assert_contains "$WORK/wrong.transcript" "error: That code is not valid."

# alice's code does not work for bob.
file_request alice alice-request "alice@example.org" "forgot"
approve hank "$REQUEST_ID"
run_pam recovery-test bob as-bob wrong-password yes 2 "$APPROVAL_CODE"
diff "$WORK/wrong.transcript" "$WORK/as-bob.transcript" || fail "alice's code at bob's login reads unlike a wrong code"

# A denied request's code does not work.
ctl hank deny "$REQUEST_ID" --reason "the caller could not answer the check questions" > /dev/null
run_pam recovery-test alice denied wrong-password yes 2 "$APPROVAL_CODE"
assert_contains "$WORK/denied.transcript" "error: That code is not valid."
assert_eq denied "$(db "SELECT state FROM requests WHERE user = 'alice'")" "the denied request"
assert_eq 1 "$(audit "action = 'request.deny'")" "deny rows"
assert_eq 1 "$(audit "action = 'request.deny' AND outcome = 'ok' AND actor = 'uid:$hank_uid (hank)' AND target_user = 'alice'")" \
    "deny rows by hank for alice"
# And as recoveryctl audit shows it.
ctl hank audit --user alice > "$WORK/audit-deny.out" || fail "hank cannot read the audit log"
grep -qE "  request\.deny  ok  actor=uid:$hank_uid \(hank\)  user=\"alice\"" "$WORK/audit-deny.out" ||
    fail "recoveryctl audit does not show hank's deny: $(cat "$WORK/audit-deny.out")"

# An expired code does not work (time moved through the store, not by sleeping).
file_request bob bob-request "bob@example.org" "forgot"
approve root "$REQUEST_ID"
assert_eq 1 "$(audit "action = 'request.approve' AND outcome = 'ok' AND actor = 'uid:0 (root)' AND target_user = 'bob'")" \
    "approvals by root"
db "UPDATE approval_codes SET expires_at = issued_at + 1; UPDATE clock SET latest = latest + 2000000"
run_pam recovery-test bob expired wrong-password yes 2 "$APPROVAL_CODE"
diff <(sed 1,4d "$WORK/wrong.transcript") <(sed 1,4d "$WORK/expired.transcript") ||
    fail "an expired code reads unlike a wrong code"
assert_eq 0 "$(db "SELECT count(*) FROM approval_codes")" "approval codes left after expiry"

# 50 logins at once with one code: exactly one gets to set a password
# (recovery-patient: the race is inside the daemon, not against the module's deadline).
ctl hank approve "$REQUEST_ID" > "$WORK/approve.out"
APPROVAL_CODE=$(grep -oE '[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}' "$WORK/approve.out")
for i in $(seq 50); do
    printf '%s\n' wrong-password yes 2 "$APPROVAL_CODE" "race-password-$i" "race-password-$i" > "$WORK/race-$i.answers"
done
in_sandbox bash -c '
    for i in $(seq 50); do
        "$1" --service recovery-patient --user bob --tty "pts/race$i" --answers "$2/race-$i.answers" \
            --transcript "$2/race-$i.transcript" > /dev/null &
    done
    wait' race "$build_dir/tests/tools/pam-driver" "$WORK"
assert_eq 1 "$(grep -l "Code accepted." "$WORK"/race-*.transcript | wc -l)" "logins whose code was accepted"
assert_eq 49 "$(grep -l "That code is not valid." "$WORK"/race-*.transcript | wc -l)" "logins refused"
winner=$(grep -l "Code accepted." "$WORK"/race-*.transcript | grep -oE '[0-9]+' | tail -n 1)
password_works bob "race-password-$winner" || fail "pam_unix rejects the winner's password"
assert_eq 1 "$(audit "action = 'approval.verify' AND outcome = 'ok'")" "accepted approval codes"
echo PASS
