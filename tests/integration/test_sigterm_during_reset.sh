# SIGTERM (systemctl stop, a package upgrade's preinst, shutdown) while an
# administrator's reset is in progress: the reset runs to its end, as the
# daemon promises (docs/decisions/daemon.md, "The event loop never blocks"),
# with its audit row (invariant 10: a password is never changed without its
# row), and recoveryd exits 0. Found broken: the job ran on the AdminService
# that BusServer's teardown had already destroyed (use after free): /etc/shadow
# changed, then a segmentation fault before the audit row.
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
assert_eq 1 "$(audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'alice'")" \
    "audit rows of the reset that changed alice's password"
assert_eq "exit 0" "$(sed -n 1p "$exits")" "exit status of recoveryd after SIGTERM during a reset"
