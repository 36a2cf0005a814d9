# Recovery methods belong to the account (uid), not to a name that may be
# reused (DESIGN.md invariant 12): after `userdel alice; useradd -u 1500
# alice`, the old alice's codes do not reset the new alice's password; they
# are retired at the first try.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
run_pam recovery-test nosuchuser unknown wrong-password yes 1 "${CODES[0]}"
in_sandbox userdel alice
in_sandbox useradd -u 1500 --create-home alice
echo 'alice:new-alice-password' | in_sandbox "${STOCK_APP[@]}" chpasswd

run_pam recovery-test alice reused wrong-password yes 1 "${CODES[0]}" taken-over-password taken-over-password
cmp "$WORK/unknown.transcript" "$WORK/reused.transcript" || fail "the old alice's code did something"
password_works alice new-alice-password || fail "the new alice's password changed"
assert_eq 1 "$(audit "action = 'code.verify' AND detail LIKE '%retired%'")" "retirement audited"
assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db 'SELECT count(*) FROM recovery_codes')" \
    "codes left in the store"
as_user alice /run/sandbox-tools/recoveryctl status > "$WORK/status"
assert_contains "$WORK/status" "none enrolled"
echo PASS
