# The module believes a recoveryd that the bus starts for its call only if
# that process runs as root: nobody owns the name when the module asks, so
# the reply's sender is checked instead. Here a (misconfigured) activation
# file starts a fake daemon as alice, whom the bus policy lets own the name;
# the fake gets MayOffer and answers "true", and the module offers nothing.
source "$(dirname "$0")/lib.sh"

sandbox up --activation
let_alice_own_the_name  # once alice exists
in_sandbox install -m 0755 "$build_dir/tests/tools/fake-recoveryd" /run/sandbox-tools/
in_sandbox install -o alice -m 0600 /dev/null /run/sandbox-tools/fake.out
printf '#!/bin/sh\nexec /run/sandbox-tools/fake-recoveryd --mode succeed >>/run/sandbox-tools/fake.out 2>&1\n' |
    in_sandbox tee /run/sandbox-tools/run-fake >/dev/null
in_sandbox chmod 0755 /run/sandbox-tools/run-fake
printf '[D-BUS Service]\nName=io.recoveryd.Recovery1\nExec=/run/sandbox-tools/run-fake\nUser=alice\n' |
    in_sandbox tee /usr/share/dbus-1/system-services/io.recoveryd.Recovery1.service >/dev/null

run_pam module-only alice activated yes
in_sandbox cat /run/sandbox-tools/fake.out > "$WORK/fake.out"
assert_contains "$WORK/fake.out" "MayOffer"  # the bus did start alice's fake for the call
assert_eq PAM_PERM_DENIED "$RESULT" "result when the bus starts a process of alice's for the call"
[[ ! -s $WORK/activated.transcript ]] || { cat "$WORK/activated.transcript"; fail "the module acted on alice's reply"; }
assert_not_contains "$WORK/fake.out" "StartFlow"
echo PASS
