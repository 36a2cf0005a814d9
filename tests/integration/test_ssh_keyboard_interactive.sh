# SSH keyboard-interactive recovery (issue 10): the real OpenSSH sshd
# (KbdInteractiveAuthentication, UsePAM; its PAM service wired as Debian's,
# common-auth: pam_unix then pam_recovery.so) on 127.0.0.1 in the sandbox's
# own network namespace, and the real ssh client on a tmux terminal. alice
# mistypes her password, recovers with a code and is told her password
# changed; a second ssh login with the new password runs `id -un`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ssh/sshd.sh"

NEW_PASSWORD=Copper-Meadow-Signal-58
ssh_to_alice="$sandbox_tool exec $SANDBOX --user bob -- ${SSH_CLIENT[*]} -o PreferredAuthentications=keyboard-interactive alice@127.0.0.1 id -un"

sandbox up --network
enroll_codes alice
ssh_pam_debian
sshd_start kbd-interactive

terminal_open recover "$ssh_to_alice"
# Each step: what the screen must show, then what alice types.
terminal_wait recover "Password:";                    terminal_type recover not-my-password
terminal_wait recover "Can't access your account?"
# The login waits in the sshd process that runs PAM: it loaded the module
# (in a sanitizer build only possible with the runtimes there first).
pam_pids=$(sshd_pam_processes)
[[ -n $pam_pids ]] || ssh_fail "no sshd process of the sandbox has pam_recovery.so loaded"
if ((${#STOCK_APP[@]})); then
    for pid in $pam_pids; do
        grep -q libasan "/proc/$pid/maps" || ssh_fail "sshd process $pid runs the module without the ASan runtime"
    done
fi
terminal_type recover yes
terminal_wait recover "How do you want to prove who you are?"
terminal_wait recover "Choose 1-3:";                  terminal_type recover 1
terminal_wait recover "Recovery code:";               terminal_type recover "${CODES[3]}"
terminal_wait recover "New password:";                terminal_type recover "$NEW_PASSWORD"
terminal_wait recover "Retype new password:";         terminal_type recover "$NEW_PASSWORD"
terminal_wait recover "Your password has been changed."
# NumberOfPasswordPrompts=1: the client gives up after this one attempt.
terminal_wait recover "[exited: 255]"
cp "$WORK/screen" "$WORK/recover.screen"
assert_not_contains "$WORK/recover.screen" not-my-password   # echo off
assert_not_contains "$WORK/recover.screen" "$NEW_PASSWORD"
assert_not_contains "$WORK/recover.screen" "[exited: 0]"
password_works alice "$NEW_PASSWORD" || fail "pam_unix rejects the new password"
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'ok' AND service = 'sshd' AND rhost = '127.0.0.1'")" \
    "rotations audited for sshd from 127.0.0.1"

terminal_open login "$ssh_to_alice"
terminal_wait login "Password:";                      terminal_type login "$NEW_PASSWORD"
terminal_wait login "[exited: 0]"
grep -qx alice "$WORK/screen" || { cat "$WORK/screen"; ssh_fail "the second login did not print alice"; }
assert_not_contains "$WORK/screen" "Can't access your account?"
echo PASS
