# A SIGTERM that reaches recoveryd after its event loop has ended (under
# systemd this is what happens at an idle exit: Type=dbus stops the unit as
# soon as the name is released, and the SIGTERM often lands after the loop
# ended) must not kill it before its store is closed: it exits 0, and the
# clean close leaves no WAL behind (a WAL with frames makes the next start
# read every page, the cost the start-up checks avoid). Made deterministic
# here: a reset waits for the password lock, a first SIGTERM ends the loop
# (the teardown waits for the reset), a second one arrives after it.
source "$(dirname "$0")/lib.sh"

printf '[Daemon]\nIdleExitSec = 0\n' > "$WORK/policy.conf"
sandbox up --activation --policy "$WORK/policy.conf"
exits=$SANDBOX/log/recoveryd.exits

in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping ||
    fail "Peer.Ping did not start recoveryd"
pid=$(sandbox_pid recoveryd)

daemon_opened_lock_file() {
    local opened
    opened=$(in_sandbox bash -c 'for fd in /proc/"$1"/fd/*; do readlink "$fd"; done' opened "$pid")
    grep -qx /etc/.pwd.lock <<<"$opened"
}

coproc LOCK {
    in_sandbox python3 -c '
import fcntl, os, sys
fd = os.open("/etc/.pwd.lock", os.O_WRONLY | os.O_CREAT, 0o600)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()'
}
read -r locked <&"${LOCK[0]}"
assert_eq locked "$locked" "the other program's lock"

ctl root reset-password alice > "$WORK/reset.out" 2>&1 &
for _ in $(seq 100); do
    daemon_opened_lock_file && break
    sleep 0.1
done
daemon_opened_lock_file || fail "the reset is not waiting for the password lock"

kill -TERM "$pid"  # ends the loop; the teardown waits for the reset in progress
sleep 1
kill -TERM "$pid"  # arrives after the loop: must not cut the teardown short
exec {LOCK[1]}>&-

for _ in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
! kill -0 "$pid" 2>/dev/null || fail "recoveryd $pid still runs 30 s after SIGTERM"
for _ in $(seq 50); do
    [[ -s $exits ]] && break
    sleep 0.1
done
assert_eq 0 "$(in_sandbox getent shadow alice | cut -d: -f3)" "alice's last-change day (the reset in progress ran to its end)"
assert_eq "exit 0" "$(sed -n 1p "$exits")" "exit status of recoveryd after a SIGTERM during its teardown"
wal_size=$(in_sandbox stat -c %s /var/lib/recoveryd/recoveryd.db-wal 2>/dev/null || echo 0)
assert_eq 0 "$wal_size" "bytes left in recoveryd.db-wal (the store was not closed)"
