#!/bin/bash
# The installed packages, as a Debian 12 system gets them: inside a private
# mount namespace with overlays on /etc, /usr and /var (the host stays
# untouched; writes land in a tmpfs that dies with the namespace) and fresh
# tmpfs on /run and /home, this
#   - keeps a copy of /etc/pam.d,
#   - installs both .debs with dpkg -i (their postinst runs pam-auth-update),
#   - checks that common-auth and common-session hold pam_recovery.so where
#     the design puts it (after the password module, authinfo_unavail=ignore,
#     and jump counts that still land on pam_permit),
#   - starts a dbus-daemon with the system bus configuration as installed,
#     whose servicedir holds the package's activation file, so that the bus
#     itself starts /usr/sbin/recoveryd on the first call (no systemd here),
#   - recovers an account through /etc/pam.d/common-auth with the
#     autopkgtest's own script (debian/tests/recover),
#   - purges both packages and checks that /etc/pam.d is byte-identical to
#     the copy and that no state or configuration is left.
#   test_installed.sh DEBS-DIR   (the output of build-debs)
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
debs=$(realpath "${1:?usage: test_installed.sh DEBS-DIR}")
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root (a mount namespace)"; exit 77; }
compgen -G "$debs/recoveryd_*.deb" >/dev/null && compgen -G "$debs/libpam-recovery_*.deb" >/dev/null ||
    { echo "FAIL: no .debs in $debs (build-debs failed?)" >&2; exit 1; }

work=$(mktemp -d /tmp/recoveryd-installed-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/layers"

# Everything runs in the namespace's one shell; every process it starts
# (dbus-daemon, recoveryd) is killed before it returns, and the mounts
# vanish with it.
unshare --mount --propagation private -- \
    bash "$source_dir/tests/packaging/installed-inside" "$source_dir" "$debs" "$work"
