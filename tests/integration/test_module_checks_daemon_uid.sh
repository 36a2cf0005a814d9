# The module talks only to a recoveryd that runs as root. Here the bus
# policy lets alice own recoveryd's name, and a fake daemon run by alice
# offers recovery and answers "succeeded" at once: the module asks the bus
# who owns the name before each call and sends it nothing. The same fake
# run by root is believed, which shows the fake itself works.
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

# Not even MayOffer goes to alice's process: no offer, nothing started,
# nothing said (PAM_IGNORE; PAM_PERM_DENIED with the module alone).
fake_start succeed alice
run_pam module-only alice as-alice yes
fake_stop
assert_eq PAM_PERM_DENIED "$RESULT" "result when alice's process holds the name"
[[ ! -s $WORK/as-alice.transcript ]] || { cat "$WORK/as-alice.transcript"; fail "the module acted on alice's process"; }
assert_not_contains "$WORK/fake.out" "MayOffer"
assert_not_contains "$WORK/fake.out" "StartFlow"
echo PASS
