# After a reset the owner sees once, at their next login, when, how and from
# where: after a recovery at the prompt (from a remote host), at the real
# `login` program; after `recoveryctl reset-password`, "by an administrator".
# Only the right user sees it, and only once; not someone who becomes them
# (su, sudo). A login with nothing waiting
# makes no bus call at all (dbus-monitor sees no TakeNotices for it); a
# login with a notice makes exactly one. A new account reusing the name
# never sees the former account's notice.
source "$(dirname "$0")/lib.sh"

NEW_PASSWORD=Quiet-Harbor-Lantern-93
NOTICE_TEXT='Your password was reset on [0-9]{4}-[0-9]{2}-[0-9]{2} at [0-9]{2}:[0-9]{2} UTC'
WARNING='If this was not you, contact your administrator now.'

# session_login USER NAME PASSWORD [pam-driver options...]: the right
# password at recovery-test, then a session; sets RESULT.
session_login() {
    local user=$1 name=$2 password=$3; shift 3
    printf '%s\n' "$password" > "$WORK/$name.answers"
    RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user "$user" --session \
        --answers "$WORK/$name.answers" --transcript "$WORK/$name.transcript" "$@" || true)
    assert_eq PAM_SUCCESS "$RESULT" "$name: login of $user"
}

takes_for() {  # USER: TakeNotices calls for USER the monitor saw
    grep -c "string \"$1\"" "$WORK/monitor.out" || true
}

sandbox up --policy "$(admin_policy)"
alice_uid=$(in_sandbox id -u alice)
enroll_codes alice

# Every TakeNotices on the bus, whoever sends it.
monitor_manager_calls TakeNotices "$WORK/monitor.out"

# alice recovers over "ssh" from 192.0.2.7.
printf '%s\n' wrong-password yes 1 "${CODES[0]}" "$NEW_PASSWORD" "$NEW_PASSWORD" > "$WORK/recover.answers"
RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user alice --rhost 192.0.2.7 \
    --answers "$WORK/recover.answers" --transcript "$WORK/recover.transcript" || true)
assert_contains "$WORK/recover.transcript" "Your password has been changed."
in_sandbox test -f "/var/lib/recoveryd/notices/$alice_uid" || fail "no marker for alice's notice"
assert_eq 700 "$(in_sandbox stat -c %a /var/lib/recoveryd/notices)" "mode of the marker directory"

# bob has nothing waiting: his login shows nothing and asks nobody.
session_login bob bob-first bob-old-password
assert_not_contains "$WORK/bob-first.transcript" "Your password was reset"
assert_eq 0 "$(takes_for bob)" "TakeNotices calls for bob's login"

# root becomes alice (`su - alice`, `sudo -i -u alice` set PAM_RUSER to the
# one who asked): her notice is not someone else's to see or to take.
session_login alice su-alice "$NEW_PASSWORD" --ruser root
assert_not_contains "$WORK/su-alice.transcript" "Your password was reset"
assert_eq 0 "$(takes_for alice)" "TakeNotices calls for root's su to alice"
in_sandbox test -f "/var/lib/recoveryd/notices/$alice_uid" || fail "root's su to alice took alice's marker"

# alice at the real console: the notice, before her shell.
terminal_open console "$sandbox_tool exec $SANDBOX -- ${STOCK_APP[*]} login"
terminal_wait console "login:";     terminal_type console alice
terminal_wait console "Password:";  terminal_type console "$NEW_PASSWORD"
terminal_wait console "$WARNING"
terminal_wait console "alice@"
terminal_type console exit
grep -qE "$NOTICE_TEXT through account recovery at the login prompt \(service recovery-test, from 192\.0\.2\.7\)\. $WARNING" \
    "$WORK/screen" || { cat "$WORK/screen"; fail "the console did not show the notice"; }
assert_eq 1 "$(grep -cF "$WARNING" "$WORK/screen")" "notices on alice's console"
assert_eq 1 "$(takes_for alice)" "TakeNotices calls for alice's first login"
! in_sandbox test -e "/var/lib/recoveryd/notices/$alice_uid" || fail "alice's marker outlived her notice"

# Shown once: her next login shows nothing and asks nobody.
session_login alice alice-again "$NEW_PASSWORD"
assert_not_contains "$WORK/alice-again.transcript" "Your password was reset"
assert_eq 1 "$(takes_for alice)" "TakeNotices calls after alice's second login"

# An administrator resets bob's password: bob is told so, and only bob.
ctl hank reset-password bob > "$WORK/reset.out" || fail "reset-password: $(cat "$WORK/reset.out")"
temporary=$(grep -oE '[0-9a-z]{5}(-[0-9a-z]{5}){3,}' "$WORK/reset.out" | head -n 1)
session_login alice alice-third "$NEW_PASSWORD"
assert_not_contains "$WORK/alice-third.transcript" "Your password was reset"
session_login bob bob-reset "$temporary"
grep -qE "^info: $NOTICE_TEXT by an administrator \(hank\)\. $WARNING\$" "$WORK/bob-reset.transcript" ||
    { cat "$WORK/bob-reset.transcript"; fail "bob was not told of the administrator's reset"; }
session_login bob bob-again "$temporary"
assert_not_contains "$WORK/bob-again.transcript" "Your password was reset"
assert_eq 1 "$(takes_for bob)" "TakeNotices calls for bob's logins"

# A new account reusing the name alice never sees the former alice's notice.
ctl hank reset-password alice > /dev/null || fail "reset-password alice"
in_sandbox userdel alice
in_sandbox useradd --create-home alice
echo 'alice:Another-Alice-Passphrase-7' | in_sandbox "${STOCK_APP[@]}" chpasswd
[[ $(in_sandbox id -u alice) != "$alice_uid" ]] || fail "the new alice got the old uid"
session_login alice new-alice Another-Alice-Passphrase-7
assert_not_contains "$WORK/new-alice.transcript" "Your password was reset"

assert_eq 3 "$(audit "action = 'notice.add' AND outcome = 'ok'")" "notices left"
assert_eq 2 "$(audit "action = 'notice.show' AND detail LIKE '1 notice(s)%'")" "notices shown"
echo PASS
