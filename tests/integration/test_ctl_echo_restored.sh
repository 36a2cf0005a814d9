# recoveryctl waiting at "Current password:" (echo off) on a real terminal:
# - every signal that ends it leaves the terminal as it was, as the same
#   terminal's `stty` shows next;
# - every signal that stops it turns echo back on while it is stopped, and
#   after SIGCONT the prompt goes on with echo off (Ctrl-Z and `fg` in an
#   interactive shell, and each stop signal sent from outside).
source "$(dirname "$0")/lib.sh"

enroll_command="$sandbox_tool exec $SANDBOX --user alice -- /run/sandbox-tools/recoveryctl enroll codes"

terminal_echo() {  # NAME -> "on" or "off", read from outside the terminal
    local tty
    tty=$(tmux -L "$TERMINALS" display-message -p -t "$1" '#{pane_tty}')
    if stty -a -F "$tty" | grep -qE '(^| )-echo( |$)'; then echo off; else echo on; fi
}

await_terminal_echo() {  # NAME on|off WHAT
    for _ in $(seq 100); do
        [[ $(terminal_echo "$1") == "$2" ]] && return 0
        sleep 0.1
    done
    fail "$3: echo is not $2"
}

process_state() {  # PID -> R, S, T...
    awk '{print $3}' "/proc/$1/stat"
}

await_stopped() {
    for _ in $(seq 100); do
        [[ $(process_state "$1") == T ]] && return 0
        sleep 0.1
    done
    fail "recoveryctl did not stop"
}

# A terminal with an interactive bash (job control: stop signals stop only
# in a process group that a shell manages).
open_shell() {
    terminal_open "$1" "env PS1='shell\$ ' bash --norc --noprofile -i"
    terminal_wait "$1" 'shell$'  # the screen as captured has no trailing blanks
}

sandbox up

# Ending signals, in a terminal whose shell leaves the settings alone.
for signal in TERM HUP QUIT INT PIPE ALRM USR1 USR2; do
    name=end-$signal
    terminal_open "$name" "stty -g >$WORK/$name.before; $enroll_command; echo \"[recoveryctl: \$?]\"; stty -g >$WORK/$name.after; stty -a"
    terminal_wait "$name" "Current password:"
    kill -s "$signal" "$(sandbox_pid recoveryctl)"
    terminal_wait "$name" "[exited:"
    assert_contains "$WORK/screen" "[recoveryctl: $((128 + $(kill -l "$signal")))]"
    assert_eq "$(cat "$WORK/$name.before")" "$(cat "$WORK/$name.after")" "terminal settings after SIG$signal"
    grep -qE '(^| )echo( |$)' "$WORK/screen" || fail "stty -a after SIG$signal does not show echo on"
done

# Ctrl-Z, then fg: the prompt asks again, with echo off.
open_shell suspend
terminal_type suspend "$enroll_command"
terminal_wait suspend "Current password:"
tmux -L "$TERMINALS" send-keys -t suspend C-z
terminal_wait suspend "Stopped"
terminal_type suspend "stty -a"
terminal_wait suspend "speed "
grep -qE '(^| )echo( |$)' "$WORK/screen" || fail "stty -a while recoveryctl is stopped does not show echo on"
terminal_type suspend fg
terminal_wait suspend "Current password:" 2
await_terminal_echo suspend off "after fg"
terminal_type suspend alice-old-password
terminal_wait suspend "Each code works once"
assert_not_contains "$WORK/screen" "alice-old-password"

# Each stop signal from outside (the shell does not see it, so only
# recoveryctl sets the terminal): echo on while stopped, off after SIGCONT.
for signal in TSTP TTIN TTOU; do
    name=stop-$signal
    open_shell "$name"
    terminal_type "$name" "$enroll_command"
    terminal_wait "$name" "Current password:"
    pid=$(sandbox_pid recoveryctl)
    kill -s "$signal" "$pid"
    await_stopped "$pid"
    assert_eq on "$(terminal_echo "$name")" "echo while stopped by SIG$signal"
    kill -s CONT "$pid"
    await_terminal_echo "$name" off "after SIG$signal and SIGCONT"
    terminal_type "$name" alice-old-password
    terminal_wait "$name" "Each code works once"
    assert_not_contains "$WORK/screen" "alice-old-password"
done
echo PASS
