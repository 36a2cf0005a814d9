# Only administrators administer: bob, an ordinary user, is refused every
# Admin call with "permission denied" and exit status 4, and nothing
# changes; also with a bus policy that lets everyone through, since the
# daemon judges every call itself. hank is refused too while the policy
# does not name his group, and admitted as soon as a reload does.
source "$(dirname "$0")/lib.sh"

expect_denied() {  # USER ARGS...
    local user=$1 status=0; shift
    ctl "$user" "$@" > "$WORK/denied.out" 2>&1 || status=$?
    assert_eq 4 "$status" "exit status of '$*' as $user"
    assert_contains "$WORK/denied.out" "permission denied"
}

sandbox up --bus-policy permissive
file_request alice request "+1 555 0100" "forgot"
shadow_before=$(in_sandbox sha256sum /etc/shadow)

for user in bob hank; do
    expect_denied "$user" requests
    expect_denied "$user" approve "$REQUEST_ID"
    expect_denied "$user" deny "$REQUEST_ID" --reason "no"
    expect_denied "$user" reset-password alice
    expect_denied "$user" unlock alice
    expect_denied "$user" audit
    expect_denied "$user" reload
done
# Straight over the bus, past recoveryctl's own checks.
for call in "ListRequests a{sv} 0" "ApproveRequest ss $REQUEST_ID note" "ResetPassword s alice" "ReloadPolicy"; do
    # shellcheck disable=SC2086
    ! as_user bob busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 \
        io.recoveryd.Recovery1.Admin $call > "$WORK/busctl.out" 2>&1 || fail "bob's $call succeeded"
    assert_contains "$WORK/busctl.out" "permission denied"
done
assert_eq "$shadow_before" "$(in_sandbox sha256sum /etc/shadow)" "/etc/shadow after the refused calls"
assert_eq open "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT state FROM requests")" "the request's state"
assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT count(*) FROM approval_codes")" "approval codes"
(($(audit "action = 'admin.authorize' AND outcome = 'denied'") >= 1)) || fail "the refusals are not audited"

# The policy decides, read afresh: name the helpdesk group and reload.
in_sandbox install -d -m 0755 /etc/recoveryd/recoveryd.conf.d
in_sandbox tee /etc/recoveryd/recoveryd.conf.d/admins.conf > /dev/null <<<$'[Admin]\nGroups = helpdesk'
ctl root reload || fail "root cannot reload the policy"
ctl hank requests > "$WORK/hank.out" || fail "hank is still refused after the reload: $(cat "$WORK/hank.out")"
assert_contains "$WORK/hank.out" "$REQUEST_ID"
expect_denied bob requests
echo PASS
