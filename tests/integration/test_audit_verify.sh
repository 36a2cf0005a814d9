# recoveryctl audit --verify over the whole stack. An untouched log reports
# how many rows it checked. Editing, deleting, inserting and reordering a
# row with the sqlite3 CLI on the store file (the append-only triggers
# dropped first, as an attacker would, with recoveryd stopped so that the
# file can be put back between cases) are each caught: exit status 5 and
# the row named. A caller who is not an administrator is refused.
source "$(dirname "$0")/lib.sh"

db=/var/lib/recoveryd/recoveryd.db
columns="id, time, actor, target_user, service, tty, rhost, action, outcome, detail, prev_hash, hash, ruser, app_uid, login_uid, format"

sandbox up --policy "$(admin_policy)"

# Some history: logins that try a wrong code, an administrator's listings.
for i in 1 2; do
    run_pam recovery-test bob "wrong$i" wrong-password yes 1 AAAA-BBBB-CCCC-DDDD
done
ctl hank requests > /dev/null
ctl hank audit > /dev/null
rows=$(audit 1)
((rows >= 6)) || fail "expected at least 6 audit rows to tamper with, got $rows"

verify() {  # USER [ARGS...]: sets STATUS; output in $WORK/verify.out
    STATUS=0
    ctl "$@" > "$WORK/verify.out" 2>&1 || STATUS=$?
}

# Untouched: every row checked. The check itself is audited after the walk.
verify hank audit --verify
assert_eq 0 "$STATUS" "exit status of --verify on an untouched log: $(cat "$WORK/verify.out")"
assert_eq "audit log intact: $rows rows checked" "$(cat "$WORK/verify.out")" "--verify on an untouched log"
assert_eq 1 "$(audit "action = 'audit.verify' AND outcome = 'ok' AND detail = '$rows row(s) checked' AND actor LIKE 'uid:%(hank)'")" \
    "the audit.verify row"

# Only administrators: bob is refused by recoveryd itself (the bus policy
# lets anyone call, as for every Admin method).
verify bob audit --verify
assert_eq 4 "$STATUS" "exit status of --verify as bob"
assert_contains "$WORK/verify.out" "permission denied"

# The cases below start from this file, with recoveryd stopped.
sandbox daemon-stop
in_sandbox cp -p "$db" /var/lib/recoveryd/pristine.db
[[ -z $(in_sandbox find /var/lib/recoveryd -name 'recoveryd.db-wal' -size +0) ]] || fail "the WAL was not checkpointed at exit"

# tampered NAME EXPECTED SQL: tampers with a fresh copy, starts recoveryd,
# and expects --verify to say EXPECTED with exit status 5.
tampered() {
    local name=$1 expected=$2 sql=$3
    in_sandbox rm -f "$db-wal" "$db-shm"
    in_sandbox cp -p /var/lib/recoveryd/pristine.db "$db"
    in_sandbox sqlite3 "$db" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; $sql"
    sandbox daemon-start
    verify hank audit --verify
    sandbox daemon-stop
    assert_eq 5 "$STATUS" "exit status of --verify after $name: $(cat "$WORK/verify.out")"
    assert_contains "$WORK/verify.out" "audit log has been tampered with: $expected ("
}

tampered "an edit" "row 3 was changed" \
    "UPDATE audit SET detail = detail || ' (edited)' WHERE id = 3"
tampered "a deletion" "row 4 does not follow row 2: a row is missing" \
    "DELETE FROM audit WHERE id = 3"
# A replay: row 3 copied in after itself, the later rows moved up one.
tampered "an insertion" "row 4 is out of order or inserted: it does not follow row 3" \
    "UPDATE audit SET id = -id WHERE id > 3; UPDATE audit SET id = 1 - id WHERE id < 0;
     INSERT INTO audit ($columns) SELECT 4${columns#id} FROM audit WHERE id = 3"
tampered "a reordering" "row 3 is out of order or inserted: it does not follow row 2" \
    "UPDATE audit SET id = -1 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = 4; UPDATE audit SET id = 4 WHERE id = -1"
# The failed check is on record too, naming the row; and --json says the same.
assert_eq 1 "$(audit "action = 'audit.verify' AND outcome = 'failed' AND detail LIKE 'row 3 is out of order%'")" \
    "the failed audit.verify row"
sandbox daemon-start
verify hank audit --verify --json
assert_eq 5 "$STATUS" "exit status of --verify --json"
assert_contains "$WORK/verify.out" '"first_bad_row": 3'
assert_contains "$WORK/verify.out" '"intact": false'
echo PASS
