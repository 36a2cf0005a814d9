# recoveryctl reset-password: a temporary password with the last-change day
# set to 0, so the real pam_unix makes the user choose a new one at the next
# login (pam_acct_mgmt: change required; `login` runs pam_chauthtok). Refused for a
# locked account. recoveryctl unlock resets a pam_faillock tally. A reset
# waiting for the password lock held by another program never stalls the
# daemon: other calls are answered meanwhile; and one caller cannot hold
# more than 4 calls open.
source "$(dirname "$0")/lib.sh"

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
assert_eq 1 "$(audit "action = 'account.unlock' AND outcome = 'ok' AND target_user = 'bob'")" "unlock rows"

# A reset waits for the password lock another program holds; meanwhile
# other calls are answered (ordering, not timing), and the reset completes
# once the lock is released.
coproc LOCK {
    in_sandbox python3 -c '
import fcntl, os, sys
fd = os.open("/etc/.pwd.lock", os.O_WRONLY | os.O_CREAT, 0o600)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()'
}
read -r locked <&"${LOCK[0]}"
assert_eq locked "$locked" "the other program's lock"
ctl hank reset-password alice > "$WORK/waiting-reset.out" 2>&1 &
resetter=$!
sleep 0.5
ctl hank requests --all > "$WORK/during.out" || fail "ListRequests was not answered while a reset waits"
ctl hank audit --user alice > /dev/null || fail "ListAudit was not answered while a reset waits"
kill -0 "$resetter" 2>/dev/null || fail "the reset did not wait for the lock: $(cat "$WORK/waiting-reset.out")"
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok'")" "resets done while the lock is held"
# One caller has at most 4 calls out (root is not counted): hank's fifth is
# refused at once, and root is still served.
for i in 2 3 4; do ctl hank reset-password alice > "$WORK/waiting-reset-$i.out" 2>&1 & done
sleep 0.5
status=0
ctl hank requests > "$WORK/fifth.out" 2>&1 || status=$?
assert_eq 3 "$status" "exit status of hank's fifth call"
assert_contains "$WORK/fifth.out" "too many of your calls are in progress"
ctl root requests > /dev/null || fail "root is refused while hank has 4 calls out"
exec {LOCK[1]}>&-
wait "$resetter" || fail "the reset failed after the lock was released: $(cat "$WORK/waiting-reset.out")"
wait
assert_eq 5 "$(audit "action = 'password.reset' AND outcome = 'ok'")" "resets done after the lock is released"
echo PASS
