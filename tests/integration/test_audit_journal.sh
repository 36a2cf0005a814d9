# The journal mirror over the real wire. journal-sink binds journald's
# native socket in the sandbox's private /run and prints what recoveryd's
# sd_journal_sendv sends: after a recovery, every audit row has its entry,
# with the MESSAGE_ID journal/recoveryd.catalog gives its action, the
# RECOVERYD_* fields, and the row's id and hash as the store holds them;
# no code or password appears. Where no journal listens (the socket left
# by a dead journald, or none at all, the sandbox's default), each row is
# one quoted line "recoveryd: audit: ..." on recoveryd's stderr instead.
source "$(dirname "$0")/lib.sh"

socket=/run/systemd/journal/socket
new_password=vT8-qZ2m-K9pL-4wRx
daemon_log=$SANDBOX/log/recoveryd.log

sandbox up
in_sandbox "$build_dir/tests/tools/journal-sink" > "$WORK/journal.out" 2> "$WORK/sink.err" &
for _ in $(seq 100); do
    in_sandbox test -S "$socket" && break
    sleep 0.1
done
in_sandbox test -S "$socket" || fail "journal-sink did not bind $socket: $(cat "$WORK/sink.err")"
rows_before=$(audit 1)
log_lines_before=$(grep -c '^recoveryd: audit: ' "$daemon_log" || true)

enroll_codes alice
run_pam recovery-test alice story wrong-password yes 1 "${CODES[3]}" "$new_password" "$new_password"
password_works alice "$new_password" || fail "the recovery did not change the password"

# entry ACTION: the sink's last entry for that action, one field a line.
entry() {
    awk -v want="RECOVERYD_ACTION=$1" 'BEGIN { RS = ""; FS = "\n" }
        { for (i = 1; i <= NF; i++) if ($i == want) found = $0 } END { print found }' "$WORK/journal.out"
}
field() {  # ACTION NAME: that field's value in the action's entry
    entry "$1" | sed -n "s/^$2=//p"
}
catalog_id() {  # ACTION: its MESSAGE_ID in the catalog
    awk -v want="Action: $1" '/^-- / { id = $2 } $0 == want { print id }' "$source_dir/journal/recoveryd.catalog"
}

# Every row written while the sink listened has its entry (the sink may
# print a moment after the row is stored).
rows_after=$(audit 1)
for _ in $(seq 100); do
    (($(grep -c '^RECOVERYD_AUDIT_ROW=' "$WORK/journal.out") >= rows_after - rows_before)) && break
    sleep 0.1
done
assert_eq $((rows_after - rows_before)) "$(grep -c '^RECOVERYD_AUDIT_ROW=' "$WORK/journal.out")" \
    "journal entries for the rows written (sink's stderr: $(cat "$WORK/sink.err"))"

for action in enroll.recovery-codes flow.start code.verify password.rotate; do
    [[ -n $(entry "$action") ]] || fail "no journal entry for $action: $(cat "$WORK/journal.out")"
    id=$(catalog_id "$action")
    [[ $id =~ ^[0-9a-f]{32}$ ]] || fail "no catalog id for $action"
    assert_eq "$id" "$(field "$action" MESSAGE_ID)" "MESSAGE_ID of $action"
    assert_eq alice "$(field "$action" RECOVERYD_USER)" "RECOVERYD_USER of $action"
    assert_eq ok "$(field "$action" RECOVERYD_OUTCOME)" "RECOVERYD_OUTCOME of $action"
    assert_eq recoveryd "$(field "$action" SYSLOG_IDENTIFIER)" "SYSLOG_IDENTIFIER of $action"
    # The anchor is the row as the store holds it.
    row=$(field "$action" RECOVERYD_AUDIT_ROW)
    [[ $row =~ ^[0-9]+$ ]] || fail "RECOVERYD_AUDIT_ROW of $action: '$row'"
    assert_eq "$action" "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT action FROM audit WHERE id = $row")" \
        "the action of row $row"
    assert_eq "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT lower(hex(hash)) FROM audit WHERE id = $row")" \
        "$(field "$action" RECOVERYD_AUDIT_HASH)" "RECOVERYD_AUDIT_HASH of $action (row $row)"
done
for action in flow.start code.verify password.rotate; do
    assert_eq recovery-test "$(field "$action" RECOVERYD_SERVICE)" "RECOVERYD_SERVICE of $action"
    assert_eq pam:recovery-test "$(field "$action" RECOVERYD_ACTOR)" "RECOVERYD_ACTOR of $action"
done
assert_eq "uid:$(in_sandbox id -u alice)" "$(field enroll.recovery-codes RECOVERYD_ACTOR)" "the enrollment's actor"
# Nothing typed that is secret: codes, the old and the new password.
for secret in "${CODES[@]}" "$new_password" alice-old-password; do
    assert_not_contains "$WORK/journal.out" "$secret"
done
# Where the journal listens, no stderr lines.
assert_eq "$log_lines_before" "$(grep -c '^recoveryd: audit: ' "$daemon_log" || true)" "stderr audit lines while the journal listened"

# A dead journald leaves its socket behind: sends are refused, and each
# row goes to stderr, one quoted line.
sink=$(sandbox_pid journal-sink)
kill "$sink"
while kill -0 "$sink" 2>/dev/null; do sleep 0.1; done
in_sandbox test -S "$socket" || fail "the socket went with the sink"
ctl root audit --limit 1 > /dev/null
row=$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT max(id) FROM audit")
hash=$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT lower(hex(hash)) FROM audit WHERE id = $row")
assert_contains "$daemon_log" "recoveryd: audit: row $row \"audit.list\" \"ok\" user=\"\" actor=\"uid:0 (root)\" service=\"\" tty=\"\" rhost=\"\" detail=\"1 row(s)\" hash=$hash"

# No socket at all (no journald): the same.
in_sandbox rm "$socket"
ctl root audit --limit 2 > /dev/null
assert_contains "$daemon_log" "recoveryd: audit: row $((row + 1)) \"audit.list\" \"ok\" user=\"\" actor=\"uid:0 (root)\""
echo PASS
