# The story at the real console login program (`login` on a terminal, as
# scripts/try opens it): a wrong password, recovery with a code, then a real
# shell session with the new password. The test types what alice would.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
terminal_open console "$sandbox_tool exec $SANDBOX -- ${STOCK_APP[*]} login"
# Each step: what the screen must show, then what alice types.
terminal_wait console "login:";                       terminal_type console alice
terminal_wait console "Password:";                    terminal_type console not-my-password
terminal_wait console "Can't access your account?";   terminal_type console yes
terminal_wait console "Choose 1-3:";                  terminal_type console 1
terminal_wait console "Recovery code:";               terminal_type console "${CODES[7]}"
terminal_wait console "New password:";                terminal_type console console-new-password
terminal_wait console "Retype new password:";         terminal_type console console-new-password
terminal_wait console "Sign in with your new password."
terminal_wait console "login:" 2;                     terminal_type console alice
terminal_wait console "Password:" 2;                  terminal_type console console-new-password
terminal_wait console "alice@"  # the shell prompt
terminal_type console 'echo "shell of $(id -un)"'
terminal_wait console "shell of alice"
terminal_type console exit

password_works alice console-new-password || fail "pam_unix rejects the new password"
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'ok' AND tty LIKE '%pts%'")" \
    "rotation rows naming the terminal"
echo PASS
