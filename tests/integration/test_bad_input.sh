# Malformed bus arguments get InvalidArgument with a message, and change nothing:
# the Manager's and Flow's (through flow-peer), and the Admin interface's
# (as root with busctl; a dbus-monitor reads the error names off the bus).
# (Strings that are not UTF-8 cannot cross the bus at all: sd-bus and
# dbus-daemon refuse them before recoveryd sees them.)
source "$(dirname "$0")/lib.sh"

peer() { in_sandbox "$build_dir/tests/tools/flow-peer" "$@" || true; }
invalid=io.recoveryd.Recovery1.Error.InvalidArgument

sandbox up
enroll_codes alice
before=$(audit "1")
for user in Alice "al:ice" "$(printf 'al\nice')" "$(head -c 40 /dev/zero | tr '\0' a)" ""; do
    assert_eq "$invalid" "$(peer start "$user")" "StartFlow with user name '$user'"
done
assert_eq "$invalid" "$(peer start alice colour=blue)" "StartFlow with an unknown context key"
assert_eq "$invalid" "$(peer start alice "tty=$(head -c 300 /dev/zero | tr '\0' x)")" "StartFlow with an over-long tty"
assert_eq "$before" "$(audit "1")" "audit rows after refused calls"

assert_eq "$invalid" "$(peer answers alice 2)" "Next with two answers to one prompt"
assert_eq "$invalid" "$(peer answers alice 0)" "Next with no answer to a prompt"
assert_eq 0 "$(audit "action = 'code.verify'")" "codes checked after malformed answers"
assert_eq 10 "$(codes_left alice)" "codes left"

# ---- the Admin interface ----
admin_call() {  # METHOD SIGNATURE ARGS...: as root; prints busctl's output
    in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 io.recoveryd.Recovery1.Admin "$@" 2>&1
}

# expect_refused ERROR TEXT METHOD SIGNATURE ARGS...: the call fails, busctl
# shows TEXT, and the bus carried the error ERROR (a short name is ours)
# with TEXT in its message.
calls=0
expect_refused() {
    local error=$1 text=$2 output
    shift 2
    [[ $error == *.* ]] || error=io.recoveryd.Recovery1.Error.$error
    calls=$((calls + 1))
    if output=$(admin_call "$@"); then
        fail "Admin.$1 ${*:2} succeeded: $output"
    fi
    grep -qF -- "$text" <<<"$output" || fail "Admin.$1 ${*:2}: expected '$text', got '$output'"
    for _ in $(seq 100); do
        (($(grep -c '^error ' "$WORK/errors") >= calls)) && break
        sleep 0.1
    done
    # The error message is the string on the line after the error's header.
    local seen
    seen=$(grep -A1 '^error ' "$WORK/errors" | grep -v '^--$' | tail -n 2)
    grep -qF "error_name=$error " <<<"$seen" || fail "Admin.$1 ${*:2}: expected $error on the bus, got: $seen"
    grep -qF -- "$text" <<<"$seen" || fail "Admin.$1 ${*:2}: the error's message lacks '$text': $seen"
}

file_request alice request "+1 555 0100" "forgot"
shadow_before=$(in_sandbox sha256sum /etc/shadow)
admin_rows=$(audit "actor LIKE 'uid:0%'")  # what root does as an administrator
requests_before=$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT id, state, note FROM requests")

in_sandbox dbus-monitor --system "type='error',sender='io.recoveryd.Recovery1'" > "$WORK/errors" 2>&1 &
# A first refusal shows once the monitor listens: a call with the wrong
# signature, which sd-bus refuses before any of recoveryd's checks.
probe='error_name=org.freedesktop.DBus.Error.InvalidArgs'
for _ in $(seq 100); do
    admin_call ListRequests s probe > /dev/null || true
    grep -qF "$probe" "$WORK/errors" && break
    sleep 0.1
done
grep -qF "$probe" "$WORK/errors" || fail "dbus-monitor never saw an error: $(cat "$WORK/errors")"
# One more, told apart by its signature: once it shows, every probe's error has.
admin_call ListRequests u 1 > /dev/null || true
for _ in $(seq 100); do
    grep -qF "Invalid arguments 'u'" "$WORK/errors" && break
    sleep 0.1
done
grep -qF "Invalid arguments 'u'" "$WORK/errors" || fail "dbus-monitor missed an error: $(cat "$WORK/errors")"
calls=$(grep -c '^error ' "$WORK/errors")

# Filters: unknown keys, values of the wrong type, values out of range.
expect_refused InvalidArgument "unknown filter key 'Colour'; known keys: State, User" ListRequests 'a{sv}' 1 Colour s blue
expect_refused InvalidArgument "filter value 'User' must be a string" ListRequests 'a{sv}' 1 User u 1000
expect_refused InvalidArgument "filter value 'State' must be a string" ListRequests 'a{sv}' 1 State u 1
expect_refused InvalidArgument "State must be open, approved, denied, completed or expired" \
    ListRequests 'a{sv}' 1 State s pending
expect_refused InvalidArgument "State must be open" ListRequests 'a{sv}' 1 State s OPEN
expect_refused InvalidArgument "invalid user name" ListRequests 'a{sv}' 1 User s Alice
expect_refused InvalidArgument "the filter key 'State' given twice" ListRequests 'a{sv}' 2 State s open State s open
expect_refused InvalidArgument "unknown filter key 'Actor'; known keys: User, Since, Limit" ListAudit 'a{sv}' 1 Actor s root
expect_refused InvalidArgument "filter value 'Limit' must be a uint32" ListAudit 'a{sv}' 1 Limit t 5
expect_refused InvalidArgument "Limit must be between 1 and 10000" ListAudit 'a{sv}' 1 Limit u 0
expect_refused InvalidArgument "Limit must be between 1 and 10000" ListAudit 'a{sv}' 1 Limit u 10001
expect_refused InvalidArgument "filter value 'Since' must be a uint64" ListAudit 'a{sv}' 1 Since s yesterday
expect_refused InvalidArgument "invalid user name" ListAudit 'a{sv}' 1 User s "al:ice"
# Not the signature the XML names: sd-bus itself refuses it.
expect_refused org.freedesktop.DBus.Error.InvalidArgs "" ListRequests s open

# User names.
long_name=$(head -c 33 /dev/zero | tr '\0' a)
for user in Alice "al:ice" "al ice" "$long_name" ""; do
    expect_refused InvalidArgument "invalid user name" ResetPassword s "$user"
    expect_refused InvalidArgument "invalid user name" Unlock s "$user"
done

# Notes, reasons and request ids.
long_text=$(head -c 501 /dev/zero | tr '\0' x)
expect_refused InvalidArgument "the note is longer than 500 bytes" ApproveRequest ss "$REQUEST_ID" "$long_text"
expect_refused InvalidArgument "the note contains a control character" ApproveRequest ss "$REQUEST_ID" \
    "$(printf 'ok\033[2J')"
expect_refused InvalidArgument "the reason is longer than 500 bytes" DenyRequest ss "$REQUEST_ID" "$long_text"
expect_refused InvalidArgument "the reason must not be empty" DenyRequest ss "$REQUEST_ID" ""
for id in "" "K7Q-4M!" "$(head -c 33 /dev/zero | tr '\0' A)"; do
    expect_refused InvalidArgument "request id" ApproveRequest ss "$id" "note"
    expect_refused InvalidArgument "request id" DenyRequest ss "$id" "reason"
done
expect_refused InvalidArgument "a request id is six letters and digits" ApproveRequest ss "K7Q-4MZZ" "note"
# Well formed, but no request has it.
unknown_id=ZZZ-ZZZ
[[ ${REQUEST_ID^^} != "$unknown_id" ]] || unknown_id=YYY-YYY
expect_refused NotFound "there is no request" ApproveRequest ss "$unknown_id" "note"
expect_refused NotFound "there is no request" DenyRequest ss "$unknown_id" "reason"

assert_eq "$shadow_before" "$(in_sandbox sha256sum /etc/shadow)" "/etc/shadow after the refused Admin calls"
assert_eq "$requests_before" "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT id, state, note FROM requests")" \
    "the requests after the refused Admin calls"
assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT count(*) FROM approval_codes")" "approval codes"
assert_eq "$admin_rows" "$(audit "actor LIKE 'uid:0%'")" "root's audit rows after the refused Admin calls"
assert_eq 0 "$(audit "action IN ('password.reset', 'account.unlock', 'request.approve', 'request.deny')")" \
    "admin actions on record"
echo PASS
