# The story at the real console login program (`login` on a terminal, as
# scripts/try opens it): a wrong password, recovery with a code, then a real
# shell session with the new password. login runs in tmux; the test types.
source "$(dirname "$0")/lib.sh"

tmux_socket=recoveryd-test-$$
term() { tmux -L "$tmux_socket" "$@"; }
at_exit "term kill-server 2>/dev/null"

# Waits until the terminal has shown TEXT (a fixed string) on COUNT lines
# (default 1), or fails.
wait_for() {
    local tries
    for tries in $(seq 150); do
        term capture-pane -p -S - -t console > "$WORK/screen"
        (($(grep -cF -- "$1" "$WORK/screen") >= ${2:-1})) && return 0
        sleep 0.2
    done
    echo "--- screen:"; cat "$WORK/screen"
    fail "the terminal never showed '$1'"
}

type_line() { term send-keys -t console -l -- "$1"; term send-keys -t console Enter; }

# Each step: what the screen must show, then what alice types.
sandbox up
enroll_codes alice
# When login ends, the pane stays, saying so, for wait_for to show.
term new-session -d -s console -x 200 -y 50 \
    "$sandbox_tool exec $SANDBOX -- ${STOCK_APP[*]} login; echo \"[login exited: \$?]\"; sleep 3600"
wait_for "login:";                              type_line alice
wait_for "Password:";                           type_line not-my-password
wait_for "Can't access your account?";          type_line yes
wait_for "Recovery code:";                      type_line "${CODES[7]}"
wait_for "New password:";                       type_line console-new-password
wait_for "Retype new password:";                type_line console-new-password
wait_for "Sign in with your new password."
wait_for "login:" 2;                            type_line alice
wait_for "Password:" 2;                         type_line console-new-password
wait_for "alice@"  # the shell prompt
type_line 'echo "shell of $(id -un)"'
wait_for "shell of alice"
type_line exit

password_works alice console-new-password || fail "pam_unix rejects the new password"
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'ok' AND tty LIKE '%pts%'")" \
    "rotation rows naming the terminal"
echo PASS
