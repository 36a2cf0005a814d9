# The module acts only on replies whose sender runs as root. Here the bus
# policy lets alice own recoveryd's name, and a fake daemon run by alice
# answers "succeeded" at once: the module refuses it. The same fake run by
# root is believed, which shows the fake itself works.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/alice-owns.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="alice">
    <allow own="io.recoveryd.Recovery1"/>
  </policy>
</busconfig>
CONF
sandbox up --no-daemon
# Installed once alice exists, then the bus re-reads its configuration.
in_sandbox install -m 0644 "$WORK/alice-owns.conf" /etc/dbus-1/system.d/zzz-alice-owns.conf
in_sandbox busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig
in_sandbox install -m 0755 "$build_dir/tests/tools/fake-recoveryd" /run/sandbox-tools/

fake_start succeed
run_pam module-only alice as-root yes
fake_stop
assert_eq PAM_SUCCESS "$RESULT" "result when a root process answers 'succeeded'"

fake_start succeed alice
run_pam module-only alice as-alice yes
fake_stop
assert_contains "$WORK/fake.out" "StartFlow user=alice"  # alice's fake did get the call
assert_eq PAM_AUTHINFO_UNAVAIL "$RESULT" "result when alice's process answers 'succeeded'"
assert_contains "$WORK/as-alice.transcript" "error: Account recovery is not available right now."
assert_not_contains "$WORK/fake.out" "Next"  # its StartFlow reply was not acted on
echo PASS
