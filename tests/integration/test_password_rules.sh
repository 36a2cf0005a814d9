# Issue 9, password policy: every rule for a new password refuses at the
# real login prompt with its own message and asks again (three tries per
# flow); a good password then passes and works with pam_unix. The longest
# password policy allows, 127 characters of 4 bytes each (508 bytes), gets
# through the module, the bus and libxcrypt whole.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice

too_long=$(printf 'x%.0s' {1..128})
run_pam recovery-test alice first wrong-password yes 1 "${CODES[0]}" \
    short-one short-one "$too_long" "$too_long" Alice-in-the-garden-99 Alice-in-the-garden-99
assert_eq PAM_AUTH_ERR "$RESULT" "result after three refused passwords"
assert_contains "$WORK/first.transcript" "error: Your new password is too short. Use at least 15 characters."
assert_contains "$WORK/first.transcript" "error: Your new password is too long. Use at most 127 characters."
assert_contains "$WORK/first.transcript" "error: Your password must not contain your user name."
assert_contains "$WORK/first.transcript" "error: Too many attempts. Start again from the login prompt."
assert_eq 3 "$(grep -c '^prompt-echo-off: New password: ' "$WORK/first.transcript")" "new-password prompts"
password_works alice alice-old-password || fail "a refused password changed something"

# The history rule needs a current password without the user name in it.
current="a quiet morning by the lake"
echo "alice:$current" | in_sandbox "${STOCK_APP[@]}" chpasswd
longest=$(python3 -c 'print("".join(chr(0x1F600 + i % 48) for i in range(127)))')
assert_eq 508 "$(printf '%s' "$longest" | wc -c)" "bytes in the longest password"
run_pam recovery-test alice second wrong-password yes 1 "${CODES[1]}" \
    Password1234567 Password1234567 "$current" "$current" "$longest" "$longest"
assert_contains "$WORK/second.transcript" \
    "error: This password is too common or too easy to guess. Choose another: a few unrelated words make a long password that is easy to remember."
assert_contains "$WORK/second.transcript" \
    "error: You used this password recently. Choose one you have not used before."
assert_contains "$WORK/second.transcript" "info: Your password has been changed. Sign in with your new password."
password_works alice "$longest" || fail "pam_unix rejects the new 127-character password"
! password_works alice "$current" || fail "pam_unix still accepts the old password"

for rule in length user-name blocklist history; do
    (($(audit "action = 'password.check' AND outcome = 'failed' AND detail LIKE '$rule: %'") >= 1)) ||
        fail "no audit row for a refusal by the $rule rule"
done
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT * FROM audit" > "$WORK/audit.txt"
cat "$SANDBOX/log/recoveryd.log" >> "$WORK/audit.txt"
for secret in Password1234567 "$current" Alice-in-the-garden-99 short-one; do
    assert_not_contains "$WORK/audit.txt" "$secret"
done
echo PASS
