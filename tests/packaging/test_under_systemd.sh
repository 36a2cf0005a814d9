#!/bin/bash
# The installed packages under systemd as PID 1, as a Debian 12 machine runs
# them: a minimal bookworm (debootstrap, cached in ROOT-CACHE) booted
# with systemd-nspawn (--ephemeral: every run starts from the clean tree;
# its own network namespace, loopback only), and inside it
#   - both .debs installed with dpkg -i,
#   - the first call starts recoveryd.service through systemd (bus
#     activation with SystemdService=), and the daemon runs under the
#     unit's sandbox: only CAP_CHOWN, no new privileges, a seccomp filter,
#   - systemd-analyze security rates the loaded unit at 1.5 or below,
#   - the autopkgtest (debian/tests/recover) recovers an account through
#     common-auth, the unit writing /etc/shadow from inside its sandbox,
#   - with IdleExitSec = 2 the unit stops by itself, successfully, and the
#     next call starts it again.
#   test_under_systemd.sh DEBS-DIR ROOT-CACHE   (DEBS-DIR: the output of build-debs)
# With ACTIVATION_ROUNDS=N it then prints N lines of activation timings
# (bench/run, section activation-systemd).
# Skips (77) where no Debian mirror is reachable or nspawn cannot boot here.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
debs=$(realpath "${1:?usage: test_under_systemd.sh DEBS-DIR ROOT-CACHE}")
root=$(realpath -m "${2:?usage: test_under_systemd.sh DEBS-DIR ROOT-CACHE}")
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root (debootstrap, systemd-nspawn)"; exit 77; }
for tool in debootstrap systemd-nspawn nsenter; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/packages installs it)" >&2; exit 1; }
done
compgen -G "$debs/recoveryd_*.deb" >/dev/null && compgen -G "$debs/libpam-recovery_*.deb" >/dev/null ||
    { echo "FAIL: no .debs in $debs (build-debs failed?)" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# What the packages and the autopkgtest need, present before dpkg -i: the
# container has no network to fetch them.
packages=dbus,systemd,systemd-sysv,libpam-runtime,libpam-modules,passwd,login,util-linux,procps,pamtester
packages+=,cracklib-runtime,libsodium23,libsqlite3-0,libinih1,libpwquality1,libselinux1,libsystemd0,libcrypt1
if [[ ! -x $root/lib/systemd/systemd ]]; then
    rm -rf "$root.partial"
    mirror=${RECOVERYD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
    debootstrap --variant=minbase --include="$packages" bookworm "$root.partial" "$mirror" \
        > "$root.log" 2>&1 ||
        { echo "SKIP: debootstrap could not build bookworm from $mirror (see $root.log)"; exit 77; }
    echo recoveryd-test > "$root.partial/etc/hostname"
    mv "$root.partial" "$root"
fi

work=$(mktemp -d /tmp/recoveryd-systemd-XXXXXX)
nspawn=
cleanup() {
    local status=$?
    if [[ -n $nspawn ]]; then
        kill -TERM "$nspawn" 2>/dev/null || true  # the container's systemd powers off
        wait "$nspawn" 2>/dev/null || true
    fi
    ((status == 0)) || { echo "--- boot log:"; tail -n 40 "$work/boot.log" 2>/dev/null; }
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

setsid systemd-nspawn --directory="$root" --ephemeral --boot --register=no --keep-unit --private-network \
    --console=pipe --machine=recoveryd-test --bind-ro="$debs:/mnt/debs" \
    --bind-ro="$source_dir/debian/tests:/mnt/tests" < /dev/null > "$work/boot.log" 2>&1 &
nspawn=$!

# The container's PID 1 is nspawn's child; systemd says when booting is over.
leader=
for ((i = 0; i < 300; i++)); do
    kill -0 "$nspawn" 2>/dev/null || { echo "SKIP: systemd-nspawn could not boot here"; tail -n 20 "$work/boot.log"; exit 77; }
    leader=$(ps -o pid= --ppid "$nspawn" | head -n 1 | tr -d " " || true)
    [[ -n $leader ]] && nsenter -t "$leader" -a systemctl is-system-running --wait > "$work/state" 2>&1 && break
    [[ -n $leader && $(cat "$work/state") == degraded ]] && break
    sleep 0.2
done
[[ -n $leader ]] || { echo "SKIP: systemd-nspawn started no container here"; exit 77; }
inside() { nsenter -t "$leader" -a "$@"; }
[[ $(inside systemctl is-system-running) =~ ^(running|degraded)$ ]] ||
    fail "the container did not finish booting: $(inside systemctl is-system-running 2>&1)"

inside sh -c 'dpkg -i /mnt/debs/libpam-recovery_*.deb /mnt/debs/recoveryd_*.deb' > "$work/dpkg" 2>&1 ||
    fail "dpkg -i failed: $(cat "$work/dpkg")"

ping() { inside busctl call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping; }
ping || fail "the first call was not answered"
[[ $(inside systemctl is-active recoveryd.service) == active ]] || fail "recoveryd.service is not active"
inside journalctl --no-pager -u dbus.service | grep -q "Activating via systemd: service name='io.recoveryd.Recovery1'" ||
    fail "the bus did not start recoveryd through systemd"

# The sandbox as the kernel applies it to the running daemon.
pid=$(inside systemctl show --property=MainPID --value recoveryd.service)
inside cat "/proc/$pid/status" > "$work/status"
grep -qx $'CapBnd:\t0000000000000001' "$work/status" || fail "capabilities beyond CAP_CHOWN: $(grep ^Cap "$work/status")"
grep -qx $'NoNewPrivs:\t1' "$work/status" || fail "NoNewPrivileges is not in force"
grep -qx $'Seccomp:\t2' "$work/status" || fail "no seccomp filter (SystemCallFilter) is in force"

exposure=$(inside systemd-analyze security recoveryd.service | sed -n 's/.*Overall exposure level for recoveryd.service: \([0-9.]*\).*/\1/p')
[[ -n $exposure ]] || fail "systemd-analyze security printed no exposure level"
awk -v e="$exposure" 'BEGIN { exit !(e <= 1.5) }' || fail "exposure $exposure is above 1.5"

inside bash /mnt/tests/recover > "$work/recover" 2>&1 || fail "the autopkgtest failed: $(cat "$work/recover")"
grep -q '^PASS' "$work/recover" || fail "the autopkgtest said no PASS: $(cat "$work/recover")"

# Idle exit: the unit stops by itself, as a success, and comes back.
inside sh -c 'mkdir -p /etc/recoveryd/recoveryd.conf.d &&
    printf "[Daemon]\nIdleExitSec = 2\n" > /etc/recoveryd/recoveryd.conf.d/50-idle.conf'
inside systemctl stop recoveryd.service
ping || fail "the call after stopping was not answered"
for ((i = 0; i < 100; i++)); do
    [[ $(inside systemctl is-active recoveryd.service) == inactive ]] && break
    sleep 0.2
done
[[ $(inside systemctl is-active recoveryd.service) == inactive ]] || fail "recoveryd did not exit when idle"
[[ $(inside systemctl show --property=Result --value recoveryd.service) == success ]] ||
    fail "the idle exit was not a success: $(inside systemctl status --no-pager recoveryd.service)"
ping || fail "the call after the idle exit was not answered"
[[ $(inside systemctl is-active recoveryd.service) == active ]] || fail "recoveryd was not started again"
[[ $(inside systemctl show --property=NRestarts --value recoveryd.service) == 0 ]] || fail "recoveryd restarted"
echo "PASS: under systemd: activation, sandbox (exposure $exposure), recovery, idle exit"

# For bench/run (section activation-systemd), not a test: Ping with the
# unit stopped (systemd starts it) beside Ping to the running daemon, µs.
((${ACTIVATION_ROUNDS:-0} > 0)) || exit 0
inside rm /etc/recoveryd/recoveryd.conf.d/50-idle.conf
inside bash -c '
    ping() { busctl call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping; }
    for ((round = 0; round < $1; round++)); do
        systemctl stop recoveryd.service
        t0=$(date +%s%N); ping; t1=$(date +%s%N); ping; t2=$(date +%s%N)
        echo $(((t1 - t0) / 1000)) $(((t2 - t1) / 1000))
    done' timing "$ACTIVATION_ROUNDS"
