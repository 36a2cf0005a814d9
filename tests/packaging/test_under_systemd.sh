#!/bin/bash
# The installed packages under systemd as PID 1, as a Debian 12 machine runs
# them: a minimal bookworm (debootstrap, cached in ROOT-CACHE) booted
# with systemd-nspawn (--ephemeral: every run starts from the clean tree;
# its own network namespace, loopback only), and inside it
#   - the real autopkgtest runner runs debian/tests/control against both
#     .debs, as Debian's CI does: it installs them and the tests' Depends
#     with apt, then runs recover, which recovers an account through
#     common-auth, the unit writing /etc/shadow from inside its sandbox,
#   - a call starts recoveryd.service through systemd (bus activation with
#     SystemdService=), and the daemon runs under the unit's sandbox: only
#     CAP_CHOWN, no new privileges, a seccomp filter, /etc/pam.d read-only,
#   - systemd-analyze security rates the loaded unit at 1.5 or below,
#   - with IdleExitSec = 2 the unit stops by itself, successfully (its store
#     closed), and the next call starts it again,
#   - dpkg -r recoveryd stops the running daemon and keeps its state.
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

# package_names: the package names in a Depends field on stdin, one a line.
# Left out: alternatives (dbus-system-bus | default-dbus-system-bus is
# virtual; dbus, which boots with the container, provides it) and the
# runner's own @ names (the .debs under test).
package_names() {
    tr '\n' ' ' | tr ',' '\n' | grep -v '|' |
        sed -E 's/\(.*\)|\[.*\]|<.*>|:[a-z0-9]+//g; s/[[:space:]]//g' | grep -Ev '^(@.*)?$' || true
}
# field_values FIELD FILE: FIELD's value in every deb822 stanza of FILE,
# continuation lines included.
field_values() {
    awk -v field="$1" '/^#/ { next }
        tolower($0) ~ "^" tolower(field) ":" { sub(/^[^:]*:/, ""); on = 1; print; next }
        /^[ \t]/ && on { print; next }
        { on = 0 }' "$2"
}

# The container has no network: all that apt will need is installed before
# it boots. Listed here only what the container and the runner need (it
# unpacks a source tree with dpkg-source, from dpkg-dev, as a .dsc on CI);
# the rest is read from what the packages and their tests declare, so that a
# dependency missing from debian/control or debian/tests/control is missing
# from the testbed too and the run fails, as it would on Debian's CI.
own=$(for deb in "$debs"/libpam-recovery_*.deb "$debs"/recoveryd_*.deb; do dpkg-deb -f "$deb" Package; done)
packages=$( {
    printf '%s\n' dbus systemd systemd-sysv autopkgtest dpkg-dev
    for deb in "$debs"/libpam-recovery_*.deb "$debs"/recoveryd_*.deb; do
        dpkg-deb -f "$deb" Pre-Depends | package_names
        dpkg-deb -f "$deb" Depends | package_names
    done
    field_values Depends "$source_dir/debian/tests/control" | package_names
} | grep -vxF "$own" | sort -u | paste -sd, -)

# The cache holds the root together with the list it was built from
# ($root.packages): another list builds it again.
if [[ ! -x $root/lib/systemd/systemd || $(cat "$root.packages" 2>/dev/null) != "$packages" ]]; then
    rm -rf "$root.partial" "$root.packages" "$root"
    mirror=${RECOVERYD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
    debootstrap --variant=minbase --include="$packages" bookworm "$root.partial" "$mirror" \
        > "$root.log" 2>&1 || {
        # A name no package has is a mistake in a declaration, not a
        # missing mirror.
        grep "Couldn't find these debs" "$root.log" >&2 &&
            fail "a declared dependency is not in bookworm (the testbed would lack it): $packages"
        echo "SKIP: debootstrap could not build bookworm from $mirror (see $root.log)"
        exit 77
    }
    echo recoveryd-test > "$root.partial/etc/hostname"
    # No sources: offline, the runner's closing apt-get update would fail on
    # the mirror (and retry for minutes); apt still knows what is installed.
    : > "$root.partial/etc/apt/sources.list"
    mv "$root.partial" "$root"
    echo "$packages" > "$root.packages"
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
    --bind-ro="$source_dir/debian:/mnt/source/debian" < /dev/null > "$work/boot.log" 2>&1 &
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

# The autopkgtest, run by autopkgtest with the null virtualisation server:
# the booted container is itself the throwaway testbed (--ephemeral: thrown
# away at power-off), so the runner needs no qemu or lxc, which would not
# nest here anyway (null offers isolation-machine, which the test's
# isolation-container accepts). A clean environment, as a CI job's.
inside env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 sh -c 'exec autopkgtest \
    --summary-file=/run/autopkgtest.summary /mnt/debs/libpam-recovery_*.deb /mnt/debs/recoveryd_*.deb \
    /mnt/source -- null' \
    > "$work/autopkgtest" 2>&1 && runner_status=0 || runner_status=$?
# man autopkgtest, EXIT STATUS; anything but a pass of every test fails.
case $runner_status in
    0) outcome= ;;
    2 | 6 | 8) outcome="a test was skipped (a Restriction the testbed cannot meet?) or a flaky one failed" ;;
    4) outcome="a test failed" ;;
    12 | 14) outcome="erroneous package: the .debs or a test's Depends could not be installed" ;;
    16) outcome="testbed failure" ;;
    *) outcome="the runner failed (bad usage or an unexpected error)" ;;
esac
[[ -z $outcome ]] ||
    fail "autopkgtest exited $runner_status, $outcome. Summary:
$(inside cat /run/autopkgtest.summary 2>&1)
--- the runner's output ends with (dpkg's progress lines left out):
$(grep -v '^(Reading database' "$work/autopkgtest" | tail -n 50)"
inside cat /run/autopkgtest.summary > "$work/summary"
grep -Eq '^recover +PASS' "$work/summary" || fail "autopkgtest did not report recover as PASS: $(cat "$work/summary")"
for package in libpam-recovery recoveryd; do
    [[ $(inside dpkg-query -W -f='${Status}' "$package" 2>&1) == "install ok installed" ]] ||
        fail "autopkgtest left $package not installed"
done

# Bus activation through the unit, by a call with the unit stopped.
inside systemctl stop recoveryd.service
ping() { inside busctl call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping; }
ping || fail "the call with the unit stopped was not answered"
[[ $(inside systemctl is-active recoveryd.service) == active ]] || fail "recoveryd.service is not active"
inside journalctl --no-pager -u dbus.service | grep -q "Activating via systemd: service name='io.recoveryd.Recovery1'" ||
    fail "the bus did not start recoveryd through systemd"

# The sandbox as the kernel applies it to the running daemon.
pid=$(inside systemctl show --property=MainPID --value recoveryd.service)
inside cat "/proc/$pid/status" > "$work/status"
grep -qx $'CapBnd:\t0000000000000001' "$work/status" || fail "capabilities beyond CAP_CHOWN: $(grep ^Cap "$work/status")"
grep -qx $'NoNewPrivs:\t1' "$work/status" || fail "NoNewPrivileges is not in force"
grep -qx $'Seccomp:\t2' "$work/status" || fail "no seccomp filter (SystemCallFilter) is in force"
# /etc is writable to it (the shadow rewrite), what decides logins is not.
in_unit() { inside nsenter -t "$pid" -m "$@"; }
in_unit sh -c 'touch /etc/.recoveryd-probe && rm /etc/.recoveryd-probe' || fail "/etc is not writable to recoveryd"
! in_unit touch /etc/pam.d/recoveryd-probe 2>/dev/null || fail "/etc/pam.d is writable to recoveryd"

exposure=$(inside systemd-analyze security recoveryd.service | sed -n 's/.*Overall exposure level for recoveryd.service: \([0-9.]*\).*/\1/p')
[[ -n $exposure ]] || fail "systemd-analyze security printed no exposure level"
awk -v e="$exposure" 'BEGIN { exit !(e <= 1.5) }' || fail "exposure $exposure is above 1.5"

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
# systemd stops a Type=dbus unit once its name is gone (SIGTERM, which may
# land after the loop has ended): the store must still be closed, leaving no
# WAL with frames (integration/sigterm_during_reset makes that race sure).
wal=$(inside stat -c %s /var/lib/recoveryd/recoveryd.db-wal 2>/dev/null || echo 0)
[[ $wal == 0 ]] || fail "the idle exit left $wal bytes in recoveryd.db-wal"
ping || fail "the call after the idle exit was not answered"
[[ $(inside systemctl is-active recoveryd.service) == active ]] || fail "recoveryd was not started again"
[[ $(inside systemctl show --property=NRestarts --value recoveryd.service) == 0 ]] || fail "recoveryd restarted"

# Removal stops a running daemon: none goes on from deleted files.
pid=$(inside systemctl show --property=MainPID --value recoveryd.service)
inside dpkg -r recoveryd > "$work/remove" 2>&1 || fail "dpkg -r recoveryd failed: $(cat "$work/remove")"
! inside test -e "/proc/$pid" || fail "recoveryd ($pid) still runs after its package was removed"
[[ -n $(inside ls -A /var/lib/recoveryd) ]] || fail "removal (not purge) took recoveryd's state"
echo "PASS: under systemd: autopkgtest (recover), activation, sandbox (exposure $exposure), idle exit, removal"

# For bench/run (section activation-systemd), not a test. Each round stops
# recoveryd and three of systemd's own bus-activated services of Debian 12
# (each in a sandbox of its unit's), then for each, in turn: Ping with the
# unit stopped (systemd starts it) beside Ping to the running service, µs,
# a line "UNIT ACTIVATED RUNNING". Then the memory of each, running idle:
# "memory UNIT RSS PSS USS ANON" (kB, /proc/PID/smaps_rollup).
((${ACTIVATION_ROUNDS:-0} > 0)) || exit 0
inside sh -c 'dpkg -i /mnt/debs/recoveryd_*.deb' > "$work/install" 2>&1 || fail "reinstalling: $(cat "$work/install")"
inside rm /etc/recoveryd/recoveryd.conf.d/50-idle.conf
inside bash -c '
    services="recoveryd:io.recoveryd.Recovery1:/io/recoveryd/Recovery1
        systemd-hostnamed:org.freedesktop.hostname1:/org/freedesktop/hostname1
        systemd-localed:org.freedesktop.locale1:/org/freedesktop/locale1
        systemd-timedated:org.freedesktop.timedate1:/org/freedesktop/timedate1"
    for ((round = 0; round < $1; round++)); do
        for service in $services; do
            IFS=: read -r unit name path <<< "$service"
            systemctl stop "$unit.service"
            ping() { busctl call "$name" "$path" org.freedesktop.DBus.Peer Ping; }
            t0=$(date +%s%N); ping; t1=$(date +%s%N); ping; t2=$(date +%s%N)
            echo "$unit" $(((t1 - t0) / 1000)) $(((t2 - t1) / 1000))
        done
    done
    sleep 1
    for service in $services; do
        unit=${service%%:*}
        pid=$(systemctl show --property=MainPID --value "$unit.service")
        awk -v unit="$unit" "/^Rss:/ { rss = \$2 } /^Pss:/ { pss = \$2 } /^Private_(Clean|Dirty):/ { uss += \$2 }
            /^Anonymous:/ { anon = \$2 } END { print \"memory\", unit, rss, pss, uss, anon }" "/proc/$pid/smaps_rollup"
    done' timing "$ACTIVATION_ROUNDS"
