# Only administrators administer: bob, an ordinary user, is refused every
# Admin call with "permission denied" and exit status 4, and nothing
# changes; with the shipped bus policy and with one that lets everyone
# through, since the daemon judges every call itself. `watch` is refused
# too, at once (the bus policy keeps RequestFiled from such a caller, so a
# watch would otherwise wait in silence), and so is `policy check`, which
# recoveryctl judges itself by the policy's [Admin] Groups. hank is refused
# while the policy does not name his group, and admitted as soon as a
# reload does.
source "$(dirname "$0")/lib.sh"

expect_denied() {  # USER ARGS...
    local user=$1 status=0; shift
    # A time limit: a watch that does not refuse would wait for ever.
    as_user "$user" timeout 30 /run/sandbox-tools/recoveryctl "$@" > "$WORK/denied.out" 2> "$WORK/denied.err" ||
        status=$?
    assert_eq 4 "$status" "exit status of '$*' as $user ($(cat "$WORK/denied.out" "$WORK/denied.err"))"
    assert_contains "$WORK/denied.err" "permission denied"
    # Nothing on stdout: no reminder, no "Waiting for requests", no policy.
    [[ ! -s $WORK/denied.out ]] || fail "'$*' as $user printed: $(cat "$WORK/denied.out")"
}

refusals() {  # BUS-POLICY
    sandbox up --bus-policy "$1"
    file_request alice request "+1 555 0100" "forgot"
    local shadow_before
    shadow_before=$(in_sandbox sha256sum /etc/shadow)

    for user in bob hank; do
        expect_denied "$user" requests
        expect_denied "$user" approve "$REQUEST_ID"
        expect_denied "$user" deny "$REQUEST_ID" --reason "no"
        expect_denied "$user" reset-password alice
        expect_denied "$user" unlock alice
        expect_denied "$user" audit
        expect_denied "$user" reload
        expect_denied "$user" watch
        expect_denied "$user" policy check
    done
    # Straight over the bus, past recoveryctl's own checks.
    for call in "ListRequests a{sv} 0" "ApproveRequest ss $REQUEST_ID note" "ResetPassword s alice" "ReloadPolicy"; do
        # shellcheck disable=SC2086
        ! as_user bob busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 \
            io.recoveryd.Recovery1.Admin $call > "$WORK/busctl.out" 2>&1 || fail "bob's $call succeeded ($1)"
        assert_contains "$WORK/busctl.out" "permission denied"
    done
    assert_eq "$shadow_before" "$(in_sandbox sha256sum /etc/shadow)" "/etc/shadow after the refused calls ($1)"
    assert_eq open "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT state FROM requests")" "the request's state"
    assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT count(*) FROM approval_codes")" "approval codes"
    (($(audit "action = 'admin.authorize' AND outcome = 'denied'") >= 1)) || fail "the refusals are not audited ($1)"

    # The policy decides, read afresh: name the helpdesk group and reload.
    in_sandbox install -d -m 0755 /etc/recoveryd/recoveryd.conf.d
    in_sandbox tee /etc/recoveryd/recoveryd.conf.d/admins.conf > /dev/null <<<$'[Admin]\nGroups = helpdesk'
    ctl root reload || fail "root cannot reload the policy"
    ctl hank requests > "$WORK/hank.out" || fail "hank is still refused after the reload: $(cat "$WORK/hank.out")"
    assert_contains "$WORK/hank.out" "$REQUEST_ID"
    ctl hank policy check > "$WORK/hank-policy.out" 2>&1 ||
        fail "hank cannot check the policy after the reload: $(cat "$WORK/hank-policy.out")"
    assert_contains "$WORK/hank-policy.out" "Groups = helpdesk"
    expect_denied bob requests
    expect_denied bob watch
    expect_denied bob policy check
    sandbox down
}

refusals strict      # the shipped bus policy
refusals permissive  # anyone may call anything: only the daemon's own checks stand
echo PASS
