# When the user database cannot answer ("try again", as an LDAP or SSSD
# server that is down), a recovery code is not burnt: the person is told to
# try later, nothing is consumed or retired, and the same code works once the
# database is back.
source "$(dirname "$0")/lib.sh"

sandbox up --no-daemon
in_sandbox install -d /run/sandbox-tools/lib
in_sandbox install -m 0644 "$build_dir/tests/tools/libnss_recoverytest.so.2" /run/sandbox-tools/lib/
echo /run/sandbox-tools/lib | in_sandbox tee /etc/ld.so.conf.d/zz-recoveryd-test.conf > /dev/null
in_sandbox ldconfig
in_sandbox sed -i 's/^passwd:.*/passwd: recoverytest [tryagain=return] files/' /etc/nsswitch.conf
sandbox daemon-start
enroll_codes alice

in_sandbox touch /run/recoveryd-test-nss-down
run_pam module-only alice down yes 1 "${CODES[4]}"
in_sandbox rm /run/recoveryd-test-nss-down
assert_contains "$WORK/down.transcript" "Account recovery is not available right now. Try again later."
assert_not_contains "$WORK/down.transcript" "That recovery code is not valid."
assert_eq 10 "$(codes_left alice)" "codes left after the database was down"
assert_eq 1 "$(audit "action = 'code.verify' AND outcome = 'error' AND target_user = 'alice'")" "audited errors"

run_pam recovery-test alice back wrong-password yes 1 "${CODES[4]}" database-back-pw-1 database-back-pw-1
assert_contains "$WORK/back.transcript" "Your password has been changed."
password_works alice database-back-pw-1 || fail "pam_unix rejects the new password"
echo PASS
