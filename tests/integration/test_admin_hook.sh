# The policy's notify hook gets a request as inert data: contact and reason
# such as "$(touch ...)" or "; rm -rf ~" reach it byte for byte in its
# environment and nothing runs; control characters (ANSI escapes) are asked
# again at the prompt, and so is invalid UTF-8; a 10 KB answer is refused
# at the prompt. A hook that hangs is killed at its time limit (with what it
# started) while the person at the prompt goes on at once.
source "$(dirname "$0")/lib.sh"

install_hook() {  # NAME BODY: a root-owned hook under /etc/recoveryd/hooks
    in_sandbox install -d -m 0755 /etc/recoveryd/hooks
    printf '#!/bin/sh\n%s\n' "$2" | in_sandbox tee "/etc/recoveryd/hooks/$1" > /dev/null
    in_sandbox chmod 0755 "/etc/recoveryd/hooks/$1"
}

sandbox up --policy "$(admin_policy)"
install_hook notify 'printf "%s" "$RECOVERYD_CONTACT" > /run/hook.contact
printf "%s" "$RECOVERYD_REASON" > /run/hook.reason
env > /run/hook.env'
# A hook that is not root's alone is refused with the file and line, and the
# policy in force stays.
in_sandbox install -d -m 0755 /etc/recoveryd/recoveryd.conf.d
in_sandbox tee /etc/recoveryd/recoveryd.conf.d/hook.conf > /dev/null <<<$'[Admin]\nNotifyHook = /etc/recoveryd/hooks/notify\nNotifyHookTimeoutSec = 8'
in_sandbox chmod 0777 /etc/recoveryd/hooks/notify
! ctl root reload > "$WORK/reload.out" 2>&1 || fail "a world-writable hook was accepted"
assert_contains "$WORK/reload.out" "hook.conf:2: NotifyHook"
in_sandbox chmod 0755 /etc/recoveryd/hooks/notify
ctl root reload || fail "reload"

contact='$(touch /run/owned-contact) `touch /run/owned-backtick` "quoted" '"'single'"
reason='; rm -rf ~ ; touch /run/owned-reason && echo pwned'
file_request alice inert "$contact" "$reason"
await_audit 1 "action = 'hook.notify' AND outcome = 'ok'" "hook runs"
assert_eq "$contact" "$(in_sandbox cat /run/hook.contact)" "the contact as the hook got it"
assert_eq "$reason" "$(in_sandbox cat /run/hook.reason)" "the reason as the hook got it"
for owned in owned-contact owned-backtick owned-reason; do
    ! in_sandbox test -e "/run/$owned" || fail "the hook's input ran: /run/$owned exists"
done
in_sandbox grep -q "^RECOVERYD_REQUEST_ID=$REQUEST_ID$" /run/hook.env || fail "no request id in the hook's environment"
in_sandbox grep -q "^RECOVERYD_USER=alice$" /run/hook.env || fail "no user in the hook's environment"
in_sandbox grep -q "^RECOVERYD_EVENT=request-filed$" /run/hook.env || fail "no event in the hook's environment"
! in_sandbox grep -q "^DBUS_SYSTEM_BUS_ADDRESS=" /run/hook.env || fail "the hook inherited the daemon's environment"

# ANSI escapes are control characters: asked again, then given up.
run_pam recovery-test bob escapes wrong-password yes 3 $'\e[2J\e[31mred' $'x\e]0;title\a' $'\e[0m'
assert_contains "$WORK/escapes.transcript" "without control characters"
assert_contains "$WORK/escapes.transcript" "Too many attempts."
# 10 KB: refused at the prompt.
run_pam recovery-test bob huge wrong-password yes 3 "$(head -c 10240 /dev/zero | tr '\0' x)" reason
assert_eq PAM_AUTH_ERR "$RESULT" "result of a 10 KB contact"
# Bytes that are not UTF-8 cannot go on the bus as typed: the module sends
# a control character in their place, which the daemon refuses like any
# other (asked again; three tries), and no request is filed.
run_pam recovery-test bob latin1 wrong-password yes 3 $'caf\xe9' $'caf\xe9' $'caf\xe9'
assert_eq PAM_AUTH_ERR "$RESULT" "result of a contact that is not UTF-8"
assert_eq 3 "$(grep -a -c '^answer: caf'$'\xe9' "$WORK/latin1.transcript")" "the contact as typed, three times"
assert_eq 2 "$(grep -a -c 'without control characters' "$WORK/latin1.transcript")" "the contact asked again"
assert_contains "$WORK/latin1.transcript" "Too many attempts."
assert_not_contains "$WORK/latin1.transcript" "not available right now"
assert_not_contains "$WORK/latin1.transcript" "Your request for help has been sent"
assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT count(*) FROM requests WHERE contact LIKE 'caf%'")" \
    "requests filed with that contact"
assert_eq 1 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT count(*) FROM requests")" \
    "requests filed (only alice's)"

# A hook that hangs, and starts a child that would outlive it. The person
# at the prompt has their answer while the hook still runs (ordering: the
# hook's audit row comes only when it is killed, 8 s later).
install_hook notify 'sleep 600 & echo $! > /run/hook-child.pid; wait'
file_request bob hang "+1 555 0199" "forgot"
assert_contains "$WORK/hang.transcript" "Your request for help has been sent"
assert_eq 1 "$(audit "action = 'hook.notify'")" "hook rows while the second hook still hangs"
for _ in $(seq 50); do in_sandbox test -s /run/hook-child.pid && break; sleep 0.1; done
child=$(in_sandbox cat /run/hook-child.pid)
kill -0 "$child" 2>/dev/null || fail "the hook's child is not running while the hook hangs"
for _ in $(seq 150); do
    (($(audit "action = 'hook.notify' AND outcome = 'failed'") == 1)) && break
    sleep 0.1
done
assert_eq 1 "$(audit "action = 'hook.notify' AND outcome = 'failed' AND detail LIKE '%time limit%'")" \
    "hooks killed at their time limit"
# Gone, or a zombie waiting for whatever init reaps orphans here.
[[ $(ps -o stat= -p "$child" || true) != [^Z]* ]] || fail "the hook's child outlived its time limit"
echo PASS
