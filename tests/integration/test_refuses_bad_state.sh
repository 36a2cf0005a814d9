# A bad policy file, a damaged database, or a store without its key (or the
# key without its store) stops recoveryd from starting, with a message that
# says where and what; nothing is changed.
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
# A bad command line: exit status 2 (recoveryd(8)) before anything else.
for bad in --check-polcy stray-argument; do
    status=0
    daemon $bad || status=$?
    assert_eq 2 "$status" "exit status of recoveryd $bad"
    assert_contains "$WORK/out" "Try 'recoveryd --help'."
done
in_sandbox test ! -e /var/lib/recoveryd || fail "a bad command line made the state directory"

in_sandbox install -d -m 0700 /var/lib/recoveryd
head -c 8192 /dev/urandom | in_sandbox tee /var/lib/recoveryd/recoveryd.db > /dev/null
in_sandbox chmod 0600 /var/lib/recoveryd/recoveryd.db
checksum=$(in_sandbox sha256sum /var/lib/recoveryd/recoveryd.db)
! daemon || fail "recoveryd started on a damaged database"
assert_contains "$WORK/out" "/var/lib/recoveryd/recoveryd.db"
assert_eq "$checksum" "$(in_sandbox sha256sum /var/lib/recoveryd/recoveryd.db)" "database checksum"

state=/var/lib/recoveryd
state_files() { in_sandbox find $state -mindepth 1 -printf '%f %s\n' | sort; }
# The key without its store: the store was lost, and starting afresh would
# drop every enrollment, limit and audit row without a word.
in_sandbox rm -f $state/recoveryd.db
head -c 32 /dev/urandom | in_sandbox tee $state/recoveryd.key > /dev/null
in_sandbox chmod 0600 $state/recoveryd.key
for store in missing empty; do
    [[ $store == empty ]] && in_sandbox install -m 0600 /dev/null $state/recoveryd.db
    before=$(state_files)
    ! daemon || fail "recoveryd started with its key and a $store store"
    assert_contains "$WORK/out" "$state/recoveryd.db is missing or empty, but its key $state/recoveryd.key is there"
    assert_eq "$before" "$(state_files)" "state files after a refused start"
done

# A store with history but no key: every code in it was made with that key.
in_sandbox rm -f $state/recoveryd.key $state/recoveryd.db
in_sandbox "$build_dir/tests/tools/audit-fill" $state/recoveryd.db 1 > /dev/null
before=$(state_files)
! daemon || fail "recoveryd started on a store with history and no key"
assert_contains "$WORK/out" "$state/recoveryd.key is missing, but the store $state/recoveryd.db holds history"
assert_eq "$before" "$(state_files)" "state files after a refused start"

# A store without history and no key is what a first start that stopped
# before it made the key leaves: recoveryd makes the key and serves.
in_sandbox rm -f $state/recoveryd.db
in_sandbox "$build_dir/tests/tools/audit-fill" $state/recoveryd.db 0 > /dev/null
sandbox daemon-start
in_sandbox test -s $state/recoveryd.key || fail "no key made for a store without history"

# Damage made while recoveryd was stopped, inside a page, the file's size
# unchanged: the next start reads every page and refuses before writing.
sandbox daemon-stop
in_sandbox test -s $state/recoveryd.db.closed || fail "a clean stop recorded nothing"
page=$(in_sandbox sqlite3 $state/recoveryd.db "SELECT rootpage FROM sqlite_schema WHERE name = 'audit'")
printf '\xff\xff\xff\xff\xff\xff\xff\xff' |
    in_sandbox dd of=$state/recoveryd.db bs=4096 seek=$((page - 1)) conv=notrunc status=none
checksum=$(in_sandbox sha256sum $state/recoveryd.db)
! daemon || fail "recoveryd started on a store damaged while it was stopped"
assert_contains "$WORK/out" "$state/recoveryd.db: the database is damaged"
assert_eq "$checksum" "$(in_sandbox sha256sum $state/recoveryd.db)" "database checksum"
echo PASS
