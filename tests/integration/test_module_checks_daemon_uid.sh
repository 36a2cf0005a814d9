# The module talks only to a recoveryd that runs as root. Here the bus
# policy lets alice own recoveryd's name, and a fake daemon run by alice
# offers recovery and answers "succeeded" at once: the module asks the bus
# who owns the name before each call and sends it nothing. The same fake
# run by root is believed, which shows the fake itself works.
source "$(dirname "$0")/lib.sh"

sandbox up --no-daemon
let_alice_own_the_name  # once alice exists
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
