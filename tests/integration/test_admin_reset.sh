# recoveryctl reset-password: a temporary password with the last-change day
# set to 0, so the real pam_unix makes the user choose a new one at the next
# login (pam_acct_mgmt: change required; `login` runs pam_chauthtok). Refused for a
# locked account. recoveryctl unlock resets a pam_faillock tally. A reset
# waiting for the password lock held by another program never stalls the
# daemon: other calls are answered meanwhile; and one caller cannot hold
# more than 4 calls open. Root resets through recoveryctl too; each reset and
# unlock is audited with its administrator as actor, as `recoveryctl audit`
# shows.
source "$(dirname "$0")/lib.sh"

# COUNT or more ResetPassword calls have reached recoveryd, as
# dbus-monitor saw the bus route them (recoveryd reads its calls in order).
resets_routed() {
    (($(grep -c 'member=ResetPassword$' "$WORK/admin-calls") >= $1))
}

sandbox up --policy "$(admin_policy)"
hank_uid=$(in_sandbox id -u hank)

ctl hank reset-password alice > "$WORK/reset.out" || fail "reset-password: $(cat "$WORK/reset.out")"
temporary=$(grep -oE '[0-9a-z]{5}(-[0-9a-z]{5}){3,}' "$WORK/reset.out" | head -n 1)
[[ -n $temporary ]] || fail "no temporary password in: $(cat "$WORK/reset.out")"
assert_contains "$WORK/reset.out" "must choose a new password"
assert_eq 0 "$(in_sandbox getent shadow alice | cut -d: -f3)" "alice's last-change day"
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok' AND actor = 'uid:$hank_uid (hank)' AND target_user = 'alice'")" \
    "reset rows by hank"

# The real pam_unix: the temporary password authenticates, and the account
# says it must be changed now...
echo "$temporary" | in_sandbox "${STOCK_APP[@]}" pamtester plain-test alice authenticate acct_mgmt \
    > "$WORK/pamtester.out" 2>&1 && fail "acct_mgmt accepted a temporary password: $(cat "$WORK/pamtester.out")"
assert_contains "$WORK/pamtester.out" "You are required to change your password immediately"
# ...so `login` makes alice choose her own (pam_chauthtok) before her shell.
terminal_open console "$sandbox_tool exec $SANDBOX -- ${STOCK_APP[*]} login"
terminal_wait console "login:";                  terminal_type console alice
terminal_wait console "Password:";               terminal_type console "$temporary"
terminal_wait console "Current password:";       terminal_type console "$temporary"
terminal_wait console "New password:";           terminal_type console Alices-Own-Passphrase-42
terminal_wait console "Retype new password:";    terminal_type console Alices-Own-Passphrase-42
terminal_wait console "alice@"
terminal_type console exit
password_works alice Alices-Own-Passphrase-42 || fail "pam_unix rejects the password alice chose"
! password_works alice "$temporary" || fail "the temporary password still works"

# Root resets through recoveryctl too.
ctl root reset-password bob > "$WORK/root-reset.out" || fail "reset-password as root: $(cat "$WORK/root-reset.out")"
assert_contains "$WORK/root-reset.out" "must choose a new password"
assert_eq 0 "$(in_sandbox getent shadow bob | cut -d: -f3)" "bob's last-change day after root's reset"
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok' AND actor = 'uid:0 (root)' AND target_user = 'bob'")" \
    "reset rows by root"

# A locked account is never reset.
in_sandbox usermod -L bob
before=$(in_sandbox getent shadow bob)
! ctl hank reset-password bob > "$WORK/locked.out" 2>&1 || fail "a locked account was reset"
assert_contains "$WORK/locked.out" "locked"
assert_eq "$before" "$(in_sandbox getent shadow bob)" "bob's shadow entry"
in_sandbox usermod -U bob

# unlock resets pam_faillock's tally.
in_sandbox tee /etc/pam.d/faillock-test > /dev/null <<'PAM'
auth required pam_faillock.so preauth deny=3
auth [success=1 default=bad] pam_unix.so
auth [default=die] pam_faillock.so authfail deny=3
auth sufficient pam_faillock.so authsucc deny=3
account required pam_unix.so
PAM
for i in 1 2; do run_pam faillock-test bob "fail-$i" "wrong-$i"; done
in_sandbox faillock --user bob > "$WORK/tally"
(($(grep -cE '^[0-9]{4}-' "$WORK/tally") == 2)) || fail "no tally to reset: $(cat "$WORK/tally")"
ctl hank unlock bob > "$WORK/unlock.out" || fail "unlock: $(cat "$WORK/unlock.out")"
in_sandbox faillock --user bob > "$WORK/tally"
assert_eq 0 "$(grep -cE '^[0-9]{4}-' "$WORK/tally" || true)" "bob's failed logins after unlock"
assert_eq 1 "$(audit "action = 'account.unlock'")" "unlock rows"
assert_eq 1 "$(audit "action = 'account.unlock' AND outcome = 'ok' AND actor = 'uid:$hank_uid (hank)' AND target_user = 'bob'")" \
    "unlock rows by hank for bob"
# The resets and the unlock as recoveryctl audit shows them.
ctl hank audit > "$WORK/audit.out" || fail "hank cannot read the audit log"
for row in "password\.reset  ok  actor=uid:$hank_uid \(hank\)  user=\"alice\"" \
           "password\.reset  ok  actor=uid:0 \(root\)  user=\"bob\"" \
           "account\.unlock  ok  actor=uid:$hank_uid \(hank\)  user=\"bob\""; do
    grep -qE "  $row" "$WORK/audit.out" || fail "recoveryctl audit has no row '$row': $(cat "$WORK/audit.out")"
done

# A reset waits for the password lock another program holds; meanwhile
# other calls are answered (ordering, not timing), and the reset completes
# once the lock is released.
# (The monitor starts first: the reset gives up after 15 s of waiting.)
in_sandbox dbus-monitor --system "type='method_call',interface='io.recoveryd.Recovery1.Admin'" \
    > "$WORK/admin-calls" 2>&1 &  # ended with the sandbox
monitor_ready() {  # it has seen a probe call: nothing after it is missed
    in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 io.recoveryd.Recovery1.Admin \
        ListRequests 'a{sv}' 1 User s monitor-probe > /dev/null
    grep -q 'string "monitor-probe"' "$WORK/admin-calls"
}
until_true "dbus-monitor watching the Admin calls" monitor_ready
hold_password_lock
ctl hank reset-password alice > "$WORK/waiting-reset.out" 2>&1 &
resetter=$!
until_true "the reset waiting for the password lock" daemon_opened_lock_file
ctl hank requests --all > "$WORK/during.out" || fail "ListRequests was not answered while a reset waits"
ctl hank audit --user alice > /dev/null || fail "ListAudit was not answered while a reset waits"
kill -0 "$resetter" 2>/dev/null || fail "the reset did not wait for the lock: $(cat "$WORK/waiting-reset.out")"
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'alice'")" \
    "resets of alice done while the lock is held"
# One caller has at most 4 calls out (root is not counted): hank's fifth is
# refused at once, and root is still served. The fifth goes only once the
# bus has routed all four resets to recoveryd (the monitor counts them).
waiting=()
for i in 2 3 4; do
    ctl hank reset-password alice > "$WORK/waiting-reset-$i.out" 2>&1 &
    waiting+=($!)
done
until_true "all four resets reaching recoveryd" resets_routed 4
status=0
ctl hank requests > "$WORK/fifth.out" 2>&1 || status=$?
assert_eq 3 "$status" "exit status of hank's fifth call"
assert_contains "$WORK/fifth.out" "too many of your calls are in progress"
ctl root requests > /dev/null || fail "root is refused while hank has 4 calls out"
release_password_lock
wait "$resetter" || fail "the reset failed after the lock was released: $(cat "$WORK/waiting-reset.out")"
for job in "${waiting[@]}"; do wait "$job" || true; done
assert_eq 5 "$(audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'alice'")" \
    "resets of alice done after the lock is released"
echo PASS
