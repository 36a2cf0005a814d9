# Only root may start a flow, or ask whether recovery is offered (MayOffer):
# the bus policy says so, and the daemon checks the caller's credentials
# itself when the bus policy lets anyone through.
source "$(dirname "$0")/lib.sh"

start_as() {  # user -> prints the error name, or the path
    as_user "$1" /run/sandbox-tools/flow-peer start alice || true
}

may_offer_as() {  # user -> prints the error name, or true/false
    as_user "$1" /run/sandbox-tools/flow-peer may-offer service=login || true
}

sandbox up
assert_eq org.freedesktop.DBus.Error.AccessDenied "$(start_as alice)" "StartFlow by alice, strict bus policy"
assert_eq org.freedesktop.DBus.Error.AccessDenied "$(may_offer_as alice)" "MayOffer by alice, strict bus policy"
assert_eq 0 "$(audit "action = 'flow.start'")" "flows started"
sandbox down

sandbox up --bus-policy permissive
assert_eq io.recoveryd.Recovery1.Error.AccessDenied "$(start_as alice)" "StartFlow by alice, permissive bus policy"
assert_eq io.recoveryd.Recovery1.Error.AccessDenied "$(may_offer_as alice)" "MayOffer by alice, permissive bus policy"
assert_eq 0 "$(audit "action = 'flow.start'")" "flows started"
[[ $(in_sandbox "$build_dir/tests/tools/flow-peer" start alice) == /io/recoveryd/Recovery1/flow/* ]] ||
    fail "root cannot start a flow"
assert_eq true "$(in_sandbox "$build_dir/tests/tools/flow-peer" may-offer service=login)" "MayOffer by root"
echo PASS
