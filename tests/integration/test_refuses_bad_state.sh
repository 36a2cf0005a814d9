# A bad policy file or a damaged database stops recoveryd from starting,
# with a message that says where and what; nothing is changed.
source "$(dirname "$0")/lib.sh"

daemon() { in_sandbox "$build_dir/daemon/recoveryd" "$@" > "$WORK/out" 2>&1; }

printf '[Recovery]\nEnabled = yes\nFlowTimeoutSec = forever\n' > "$WORK/bad.conf"
sandbox up --no-daemon --policy "$WORK/bad.conf"
! daemon || fail "recoveryd started with a bad policy"
assert_contains "$WORK/out" "/etc/recoveryd/recoveryd.conf:3: FlowTimeoutSec = forever: expected a whole number"
! daemon --check-policy || fail "--check-policy accepted a bad policy"
assert_contains "$WORK/out" "/etc/recoveryd/recoveryd.conf:3: FlowTimeoutSec = forever"
in_sandbox install -m 0644 "$source_dir/policy/recoveryd.conf" /etc/recoveryd/recoveryd.conf
daemon --check-policy || fail "--check-policy refused the shipped policy: $(cat "$WORK/out")"
assert_contains "$WORK/out" "FlowTimeoutSec = 300"

in_sandbox install -d -m 0700 /var/lib/recoveryd
head -c 8192 /dev/urandom | in_sandbox tee /var/lib/recoveryd/recoveryd.db > /dev/null
in_sandbox chmod 0600 /var/lib/recoveryd/recoveryd.db
checksum=$(in_sandbox sha256sum /var/lib/recoveryd/recoveryd.db)
! daemon || fail "recoveryd started on a damaged database"
assert_contains "$WORK/out" "/var/lib/recoveryd/recoveryd.db"
assert_eq "$checksum" "$(in_sandbox sha256sum /var/lib/recoveryd/recoveryd.db)" "database checksum"
echo PASS
