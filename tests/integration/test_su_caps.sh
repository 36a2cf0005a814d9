# An ordinary user cannot hold every flow through su: logins that bob
# leaves waiting at "Recovery code:" count against his cap ([Limits]
# MaxFlowsPerUser, 4 by default); beyond it he reads "not available right
# now". The audit log names him as the one who ran su (ruser, the
# application's real uid), not only the account he asked for.
source "$(dirname "$0")/lib.sh"

# su is setuid root: the dynamic loader ignores LD_PRELOAD for it, so a
# sanitizer-built module cannot load into it (the release build runs this).
((${#STOCK_APP[@]} == 0)) || skip "su cannot load a sanitizer-built pam_recovery.so"

sandbox up
bob_uid=$(in_sandbox id -u bob)
for i in $(seq 6); do
    as_user bob bash -c '{ printf "not-the-password\nyes\n1\n"; exec sleep 600; } | su alice' > "$WORK/su-$i.out" 2>&1 &
done
for _ in $(seq 150); do
    (($(grep -lE "Recovery code|not available" "$WORK"/su-*.out 2>/dev/null | wc -l) >= 6)) && break
    sleep 0.2
done
assert_eq 4 "$(grep -l "Recovery code:" "$WORK"/su-*.out | wc -l)" "su logins waiting at the code prompt"
assert_eq 2 "$(grep -l "Account recovery is not available right now." "$WORK"/su-*.out | wc -l)" "su logins refused"
assert_eq 4 "$(audit "action = 'flow.start' AND service = 'su' AND ruser = 'bob' AND app_uid = $bob_uid")" \
    "flow starts naming bob as the user who ran su"

# Root's programs are not counted against bob: a login at the console works.
run_pam module-only alice console yes
assert_contains "$WORK/console.transcript" "Choose 1-3:"
in_sandbox pkill -f "sleep 600" || true
echo PASS
