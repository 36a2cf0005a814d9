# pam_faillock: three wrong passwords lock alice out (her right password is
# refused too); a recovery at the prompt resets her tally, so the new
# password works at once. The tallies live where the sandbox's
# /etc/security/faillock.conf says: pam_faillock reads it, and recoveryd
# passes its `dir` to the faillock tool (Debian 12's does not read it).
source "$(dirname "$0")/lib.sh"

NEW_PASSWORD=Quiet-Harbor-Lantern-93

sandbox up
enroll_codes alice
in_sandbox tee /etc/security/faillock.conf > /dev/null <<'CONF'
dir = /run/recoveryd-test-tallies
deny = 3
unlock_time = 3600
CONF
in_sandbox tee /etc/pam.d/faillock-test > /dev/null <<'PAM'
auth required pam_faillock.so preauth
auth [success=1 default=bad] pam_unix.so
auth [default=die] pam_faillock.so authfail
auth sufficient pam_faillock.so authsucc
account required pam_unix.so
PAM

tally() {  # failed logins pam_faillock holds against alice
    in_sandbox faillock --dir /run/recoveryd-test-tallies --user alice | grep -cE '^[0-9]{4}-' || true
}

for i in 1 2 3; do run_pam faillock-test alice "fail-$i" "wrong-$i"; done
assert_eq 3 "$(tally)" "alice's failed logins"
run_pam faillock-test alice locked alice-old-password
assert_eq PAM_AUTH_ERR "$RESULT" "alice's right password while locked"

run_pam recovery-test alice recover wrong-password yes 1 "${CODES[0]}" "$NEW_PASSWORD" "$NEW_PASSWORD"
assert_contains "$WORK/recover.transcript" "Your password has been changed."
assert_eq 0 "$(tally)" "alice's failed logins after the recovery"
run_pam faillock-test alice after "$NEW_PASSWORD"
assert_eq PAM_SUCCESS "$RESULT" "alice's new password right after the recovery"
assert_eq 1 "$(audit "action = 'faillock.reset' AND outcome = 'ok' AND target_user = 'alice'")" "tally reset rows"
echo PASS
