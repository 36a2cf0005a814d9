# How recoveryd ends while work is in progress: nothing it started is cut
# off or loses its audit row, and its store is closed (no WAL left behind).
# 1. SIGTERM while a notify hook runs (the loop ends; the teardown waits for
#    the hook), then a second SIGTERM during that wait, as systemd sends when
#    it stops a Type=dbus unit whose name was just released: recoveryd still
#    exits 0, the hook's row written, the store closed. (Found broken: the
#    stop signals were unblocked when the event loop was freed, so the second
#    one killed the daemon before its store was closed.)
#    A hook queued behind the running one (for a second reset) is not run,
#    and its audit row says so. (Found broken: it was dropped without a row.)
# 2. The bus goes away while an administrator's reset waits for the password
#    lock: the loop ends (exit 1), and the reset runs to its end with its
#    audit row (invariant 10). (Found broken: the job ran on the AdminService
#    that BusServer's teardown had already destroyed: /etc/shadow changed,
#    then a segmentation fault before the audit row.)
source "$(dirname "$0")/lib.sh"

policy() { printf '[Daemon]\nIdleExitSec = 0\n[Admin]\nNotifyHook = /etc/recoveryd/hooks/notify\n'; }
policy > "$WORK/policy.conf"
sandbox up --activation --policy "$WORK/policy.conf"
exits=$SANDBOX/log/recoveryd.exits
in_sandbox install -d -m 0755 /etc/recoveryd/hooks
printf '#!/bin/sh\ntouch /run/hook-started\nsleep 3\n' | in_sandbox tee /etc/recoveryd/hooks/notify > /dev/null
in_sandbox chmod 0755 /etc/recoveryd/hooks/notify

start_daemon() {  # by a call, as D-Bus activation does; sets PID
    in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping ||
        fail "Peer.Ping did not start recoveryd"
    PID=$(sandbox_pid recoveryd)
}
await_exit() {  # NTH: waits for recoveryd $PID to end; prints its NTH exit line
    for _ in $(seq 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$PID" 2>/dev/null || fail "recoveryd $PID still runs 30 s after it was told to end"
    for _ in $(seq 50); do [[ $(wc -l < "$exits") -ge $1 ]] && break; sleep 0.1; done
    sed -n "$1p" "$exits"
}
wal_bytes() { in_sandbox stat -c %s /var/lib/recoveryd/recoveryd.db-wal 2>/dev/null || echo 0; }

start_daemon
ctl root reset-password alice > "$WORK/reset-alice.out" || fail "reset-password alice: $(cat "$WORK/reset-alice.out")"
until_true "the notify hook starting" in_sandbox test -e /run/hook-started
ctl root reset-password hank > "$WORK/reset-hank.out" || fail "reset-password hank: $(cat "$WORK/reset-hank.out")"
kill -TERM "$PID"  # ends the loop; the teardown waits for the hook
sleep 1
kill -TERM "$PID"  # during that wait
assert_eq "exit 0" "$(await_exit 1)" "exit status after a second SIGTERM during the teardown"
assert_eq 0 "$(wal_bytes)" "bytes left in recoveryd.db-wal (the store was not closed)"
assert_eq 1 "$(audit "action = 'hook.notify' AND outcome = 'ok' AND target_user = 'alice'")" \
    "rows of the hook that ran while recoveryd stopped"
assert_eq 1 "$(audit "action = 'hook.notify' AND target_user = 'hank'")" "rows of the hook queued behind it"
assert_eq 1 "$(audit "action = 'hook.notify' AND outcome = 'error' AND target_user = 'hank' AND
    detail LIKE 'password reset: /etc/recoveryd/hooks/notify: not run: recoveryd stopped before its turn'")" \
    "rows saying the queued hook was not run"

start_daemon
hold_password_lock
ctl root reset-password bob > "$WORK/reset-bob.out" 2>&1 &
until_true "the reset waiting for the password lock" daemon_opened_lock_file
kill -KILL "$(sandbox_pid dbus-daemon)"
release_password_lock
assert_eq "exit 1" "$(await_exit 2)" "exit status after the bus went away"
assert_eq 0 "$(in_sandbox getent shadow bob | cut -d: -f3)" "bob's last-change day (the reset in progress ran to its end)"
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'bob'")" \
    "audit rows of the reset that changed bob's password"
echo PASS
