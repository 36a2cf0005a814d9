# The module talks only to the standard system bus socket, never to the bus
# an application's DBUS_SYSTEM_BUS_ADDRESS names. Here that variable points
# at a second bus on which a fake recoveryd answers "succeeded" at once: the
# module still reaches the real daemon (which asks for a recovery code). A
# bogus address changes nothing either.
source "$(dirname "$0")/lib.sh"

fake_bus=unix:path=/run/fake-bus/socket

# attempt NAME ADDRESS: pam-driver (answer "yes") with DBUS_SYSTEM_BUS_ADDRESS=ADDRESS;
# sets RESULT; the transcript is $WORK/NAME.transcript.
attempt() {
    printf 'yes\n' > "$WORK/$1.answers"
    RESULT=$(in_sandbox env DBUS_SYSTEM_BUS_ADDRESS="$2" "$build_dir/tests/tools/pam-driver" \
        --service module-only --user alice --answers "$WORK/$1.answers" --transcript "$WORK/$1.transcript" || true)
}

sandbox up

# A second bus (a session bus: anyone may own any name there), and the
# fake daemon on it.
in_sandbox install -d /run/fake-bus
in_sandbox dbus-daemon --session --address="$fake_bus" --fork --print-pid > "$WORK/fake-bus.pid"
in_sandbox "$build_dir/tests/tools/fake-recoveryd" --mode succeed --address "$fake_bus" > "$WORK/fake.out" 2>&1 &
for _ in $(seq 100); do grep -q '^ready' "$WORK/fake.out" && break; sleep 0.1; done
assert_contains "$WORK/fake.out" ready
# The fake answers there (as a module that followed the variable would see).
in_sandbox busctl --address="$fake_bus" call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 \
    io.recoveryd.Recovery1.Manager StartFlow 'sa{sv}' alice 0 > "$WORK/fake-call.out"
assert_contains "$WORK/fake-call.out" '/io/recoveryd/Recovery1/flow/fake'
calls_before=$(grep -c '^StartFlow' "$WORK/fake.out")

attempt fake "$fake_bus"
assert_contains "$WORK/fake.transcript" "Choose 1-3: "
[[ $RESULT != PAM_SUCCESS ]] || fail "the module believed the fake on DBUS_SYSTEM_BUS_ADDRESS"
assert_eq "$calls_before" "$(grep -c '^StartFlow' "$WORK/fake.out")" "StartFlow calls the fake received"

attempt bogus unix:path=/nonexistent/socket
assert_contains "$WORK/bogus.transcript" "Choose 1-3: "
echo PASS
