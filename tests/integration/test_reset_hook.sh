# The policy's notify hook also runs after every password reset, off the
# threads that did the reset: RECOVERYD_EVENT=password-reset with whose,
# how, by whom, where from and when, after a recovery at the prompt and
# after `recoveryctl reset-password`; never a secret (the code, the new or
# old password, the temporary password) in its arguments or environment.
# A reset whose audit row a stop cut off is announced by the next start.
source "$(dirname "$0")/lib.sh"

NEW_PASSWORD=Quiet-Harbor-Lantern-93

sandbox up --policy "$(admin_policy)"
alice_uid=$(in_sandbox id -u alice)
bob_uid=$(in_sandbox id -u bob)
enroll_codes alice
# Each run writes its argument and environment to the next numbered file.
in_sandbox install -d -m 0755 /etc/recoveryd/hooks /etc/recoveryd/recoveryd.conf.d
in_sandbox install -d -m 0700 /run/hook-runs
printf '#!/bin/sh\nn=$(ls /run/hook-runs | wc -l)\n{ echo "ARG=$1"; env; } > /run/hook-runs/$n\n' |
    in_sandbox tee /etc/recoveryd/hooks/notify > /dev/null
in_sandbox chmod 0755 /etc/recoveryd/hooks/notify
in_sandbox tee /etc/recoveryd/recoveryd.conf.d/hook.conf > /dev/null <<<$'[Admin]\nNotifyHook = /etc/recoveryd/hooks/notify'
ctl root reload || fail "reload"

hook_env() {  # RUN NAME: the value of NAME in that run's environment ("ARG" for its argument)
    in_sandbox sed -n "s/^$2=//p" "/run/hook-runs/$1"
}

printf '%s\n' wrong-password yes 1 "${CODES[2]}" "$NEW_PASSWORD" "$NEW_PASSWORD" > "$WORK/recover.answers"
RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user alice --rhost 192.0.2.7 \
    --tty ssh --answers "$WORK/recover.answers" --transcript "$WORK/recover.transcript" || true)
assert_contains "$WORK/recover.transcript" "Your password has been changed."
await_audit 1 "action = 'hook.notify' AND outcome = 'ok' AND target_user = 'alice'" "hook runs for alice's reset"
assert_eq password-reset "$(hook_env 0 ARG)" "the hook's argument"
assert_eq password-reset "$(hook_env 0 RECOVERYD_EVENT)" "RECOVERYD_EVENT"
assert_eq alice "$(hook_env 0 RECOVERYD_USER)" "RECOVERYD_USER"
assert_eq "$alice_uid" "$(hook_env 0 RECOVERYD_UID)" "RECOVERYD_UID"
assert_eq recovery "$(hook_env 0 RECOVERYD_HOW)" "RECOVERYD_HOW"
assert_eq "" "$(hook_env 0 RECOVERYD_BY)" "RECOVERYD_BY"
assert_eq recovery-test "$(hook_env 0 RECOVERYD_SERVICE)" "RECOVERYD_SERVICE"
assert_eq ssh "$(hook_env 0 RECOVERYD_TTY)" "RECOVERYD_TTY"
assert_eq 192.0.2.7 "$(hook_env 0 RECOVERYD_RHOST)" "RECOVERYD_RHOST"
[[ $(hook_env 0 RECOVERYD_RESET_AT) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] ||
    fail "RECOVERYD_RESET_AT: $(hook_env 0 RECOVERYD_RESET_AT)"

ctl hank reset-password bob > "$WORK/reset.out" || fail "reset-password: $(cat "$WORK/reset.out")"
temporary=$(grep -oE '[0-9a-z]{5}(-[0-9a-z]{5}){3,}' "$WORK/reset.out" | head -n 1)
[[ -n $temporary ]] || fail "no temporary password in: $(cat "$WORK/reset.out")"
await_audit 1 "action = 'hook.notify' AND outcome = 'ok' AND target_user = 'bob'" "hook runs for bob's reset"
assert_eq password-reset "$(hook_env 1 RECOVERYD_EVENT)" "RECOVERYD_EVENT"
assert_eq bob "$(hook_env 1 RECOVERYD_USER)" "RECOVERYD_USER"
assert_eq "$bob_uid" "$(hook_env 1 RECOVERYD_UID)" "RECOVERYD_UID"
assert_eq administrator "$(hook_env 1 RECOVERYD_HOW)" "RECOVERYD_HOW"
assert_eq hank "$(hook_env 1 RECOVERYD_BY)" "RECOVERYD_BY"

# recoveryd stops after a reset's rewrite and before its audit row (here
# the row cannot be written): what follows the reset, the owner's notice and
# the hook, comes with the next start, once.
db=/var/lib/recoveryd/recoveryd.db
in_sandbox sqlite3 $db "CREATE TRIGGER no_row BEFORE INSERT ON audit WHEN NEW.action = 'password.reset'
                        BEGIN SELECT RAISE(ABORT, 'stopped'); END"
ctl hank reset-password bob > "$WORK/reset2.out" || fail "reset-password: $(cat "$WORK/reset2.out")"
temporary2=$(grep -oE '[0-9a-z]{5}(-[0-9a-z]{5}){3,}' "$WORK/reset2.out" | head -n 1)
[[ -n $temporary2 ]] || fail "no temporary password in: $(cat "$WORK/reset2.out")"
assert_eq 1 "$(audit "action = 'notice.add' AND target_user = 'bob'")" "notices for bob before the restart"
sandbox daemon-stop
in_sandbox sqlite3 $db "DROP TRIGGER no_row"
sandbox daemon-start
assert_contains "$SANDBOX/log/recoveryd.log" "finished 1 password change(s) a stop interrupted"
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'bob'
                      AND detail LIKE 'found in /etc/shadow%'")" "the reset's row, from the start"
assert_eq 2 "$(audit "action = 'notice.add' AND outcome = 'ok' AND target_user = 'bob'")" "notices for bob"
await_audit 2 "action = 'hook.notify' AND outcome = 'ok' AND target_user = 'bob'" "hook runs for bob's resets"
assert_eq administrator "$(hook_env 2 RECOVERYD_HOW)" "RECOVERYD_HOW after the restart"
assert_eq hank "$(hook_env 2 RECOVERYD_BY)" "RECOVERYD_BY after the restart"

# Nothing secret reached a hook, nor the audit log or the daemon's output.
in_sandbox cat /run/hook-runs/0 /run/hook-runs/1 /run/hook-runs/2 > "$WORK/hooks.txt"
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT * FROM audit" >> "$WORK/hooks.txt"
cat "$SANDBOX/log/recoveryd.log" >> "$WORK/hooks.txt"
for secret in "${CODES[2]}" "$NEW_PASSWORD" alice-old-password "$temporary" "$temporary2"; do
    assert_not_contains "$WORK/hooks.txt" "$secret"
done
assert_eq 3 "$(in_sandbox ls /run/hook-runs | wc -l)" "hook runs"
echo PASS
