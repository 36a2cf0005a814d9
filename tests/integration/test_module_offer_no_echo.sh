# At the real `login` on a terminal, a person who mistyped their password
# types it again at the offer: it never shows on the screen, nothing starts,
# and it reaches neither the daemon nor its logs.
source "$(dirname "$0")/lib.sh"

sandbox up
terminal_open console "$sandbox_tool exec $SANDBOX -- ${STOCK_APP[*]} login"
terminal_wait console "login:";                     terminal_type console alice
terminal_wait console "Password:";                  terminal_type console mistyped-Passw0rd
terminal_wait console "Can't access your account?"; terminal_type console alice-old-Passw0rd
terminal_wait console "login:" 2  # declined: login asks again
assert_not_contains "$WORK/screen" "alice-old-Passw0rd"
assert_not_contains "$WORK/screen" "mistyped-Passw0rd"

assert_eq 0 "$(audit "action = 'flow.start'")" "flows started"
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT * FROM audit" > "$WORK/audit.txt"
cat "$SANDBOX/log/recoveryd.log" >> "$WORK/audit.txt"
assert_not_contains "$WORK/audit.txt" "alice-old-Passw0rd"
echo PASS
