# The policy's notify hook also runs after every password reset, off the
# threads that did the reset: RECOVERYD_EVENT=password-reset with whose,
# how, by whom, where from and when, after a recovery at the prompt and
# after `recoveryctl reset-password`; never a secret (the code, the new or
# old password, the temporary password) in its arguments or environment.
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

# Nothing secret reached a hook, nor the audit log or the daemon's output.
in_sandbox cat /run/hook-runs/0 /run/hook-runs/1 > "$WORK/hooks.txt"
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT * FROM audit" >> "$WORK/hooks.txt"
cat "$SANDBOX/log/recoveryd.log" >> "$WORK/hooks.txt"
for secret in "${CODES[2]}" "$NEW_PASSWORD" alice-old-password "$temporary"; do
    assert_not_contains "$WORK/hooks.txt" "$secret"
done
assert_eq 2 "$(in_sandbox ls /run/hook-runs | wc -l)" "hook runs"
echo PASS
