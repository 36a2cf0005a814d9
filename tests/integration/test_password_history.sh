# Issue 9, password history through the real login conversation: with the
# default RememberLast = 5, after passwords p1..p6 (p1 set with chpasswd,
# p2..p6 by recoveries) each of p2..p6 is refused and p1, the sixth last,
# is accepted. An administrator's reset remembers the password it replaced.
source "$(dirname "$0")/lib.sh"

sandbox up --policy "$(admin_policy)"
enroll_codes alice
p=("" "the first passphrase of six" "the second passphrase of six" "the third passphrase of six"
   "the fourth passphrase of six" "the fifth passphrase of six" "the sixth passphrase of six")
echo "alice:${p[1]}" | in_sandbox "${STOCK_APP[@]}" chpasswd

for n in 2 3 4 5 6; do
    run_pam recovery-test alice "rotate-$n" wrong-password yes 1 "${CODES[n - 2]}" "${p[n]}" "${p[n]}"
    assert_contains "$WORK/rotate-$n.transcript" "info: Your password has been changed."
done
password_works alice "${p[6]}" || fail "pam_unix rejects p6"
alice_uid=$(in_sandbox id -u alice)
assert_eq 4 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db \
    "SELECT count(*) FROM password_history WHERE user = 'alice' AND uid = $alice_uid")" "remembered hashes (p2..p5)"

used="error: You used this password recently. Choose one you have not used before."
run_pam recovery-test alice reuse-a wrong-password yes 1 "${CODES[5]}" "${p[2]}" "${p[2]}" "${p[3]}" "${p[3]}" "${p[4]}" "${p[4]}"
assert_eq 3 "$(grep -cF -- "$used" "$WORK/reuse-a.transcript")" "refusals of p2, p3, p4"
assert_contains "$WORK/reuse-a.transcript" "Too many attempts."
run_pam recovery-test alice reuse-b wrong-password yes 1 "${CODES[6]}" "${p[5]}" "${p[5]}" "${p[6]}" "${p[6]}" "${p[1]}" "${p[1]}"
assert_eq 2 "$(grep -cF -- "$used" "$WORK/reuse-b.transcript")" "refusals of p5, p6"
assert_contains "$WORK/reuse-b.transcript" "info: Your password has been changed."
password_works alice "${p[1]}" || fail "pam_unix rejects p1, accepted as the sixth last"
assert_eq 5 "$(audit "action = 'password.check' AND outcome = 'failed' AND detail LIKE 'history: %'")" "history refusals"

# An administrator's reset remembers what it replaced (p1): a recovery
# right after it refuses p1.
ctl hank reset-password alice > "$WORK/reset.out" || fail "reset-password: $(cat "$WORK/reset.out")"
fresh="a passphrase never used before"
run_pam recovery-test alice after-reset wrong-password yes 1 "${CODES[7]}" "${p[1]}" "${p[1]}" "$fresh" "$fresh"
assert_eq 1 "$(grep -cF -- "$used" "$WORK/after-reset.transcript")" "refusal of p1 after the reset"
assert_contains "$WORK/after-reset.transcript" "info: Your password has been changed."

# History belongs to the account: forget drops it.
in_sandbox /run/sandbox-tools/recoveryctl forget alice > /dev/null || fail "forget alice"
assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db \
    "SELECT count(*) FROM password_history WHERE user = 'alice'")" "history rows after forget"
echo PASS
