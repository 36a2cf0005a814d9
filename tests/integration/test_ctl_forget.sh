# recoveryctl forget USER: only root may make recoveryd forget a user's
# recovery methods (anyone else gets exit 4 and nothing changes); root's call
# removes them and is audited; userdel runs it through ctl/forget-user, from
# USERDEL_CMD in /etc/login.defs and from /etc/shadow-maint/userdel-pre.d/,
# so a name created again starts with nothing.
source "$(dirname "$0")/lib.sh"

recoveryctl=/run/sandbox-tools/recoveryctl
hook=$build_dir/ctl/forget-user

expect_exit() {  # STATUS WHAT COMMAND...: runs COMMAND (output in $WORK/out), checks its exit status
    local expected=$1 what=$2 status=0
    shift 2
    "$@" >"$WORK/out" 2>&1 || status=$?
    [[ $status == "$expected" ]] || { cat "$WORK/out"; fail "$what: exit status $status, expected $expected"; }
}

sandbox up
enroll_codes alice
assert_eq 10 "$(codes_left alice)" "alice's codes after enrolling"

# Not root: refused, nothing changes, nothing is audited as forgotten.
expect_exit 4 "forget as alice" as_user alice "$recoveryctl" forget alice
expect_exit 4 "forget as bob" as_user bob "$recoveryctl" forget alice
assert_contains "$WORK/out" "permission denied"
assert_eq 10 "$(codes_left alice)" "alice's codes after refused forgets"
assert_eq 0 "$(audit "action = 'methods.forget' AND target_user = 'alice'")" "audit rows of forgetting alice"

# A bad name: refused before any call.
expect_exit 2 "forget of a bad name" in_sandbox "$recoveryctl" forget 'Alice;rm'

# Root: removed and audited; a second time there is nothing left.
expect_exit 0 "forget as root" in_sandbox "$recoveryctl" forget alice
assert_contains "$WORK/out" "Removed 1 enrollment of alice."
assert_eq none "$(codes_left alice)" "alice's codes after root's forget"
await_audit 1 "action = 'methods.forget' AND target_user = 'alice'" "audit rows of forgetting alice"
expect_exit 0 "second forget as root" in_sandbox "$recoveryctl" forget alice
assert_contains "$WORK/out" "alice had nothing enrolled."

# userdel with USERDEL_CMD: bob's codes go with his account, so a new bob
# (here even with the same uid) starts with nothing.
enroll_codes bob
in_sandbox sed -i '/^#*USERDEL_CMD/d' /etc/login.defs
echo "USERDEL_CMD $hook" | in_sandbox tee -a /etc/login.defs >/dev/null
expect_exit 0 "userdel bob" in_sandbox userdel bob
assert_contains "$WORK/out" "Removed 1 enrollment of bob."
await_audit 1 "action = 'methods.forget' AND target_user = 'bob'" "audit rows of forgetting bob"
in_sandbox useradd --create-home bob
echo "bob:bob-old-password" | in_sandbox "${STOCK_APP[@]}" chpasswd
assert_eq none "$(codes_left bob)" "codes of the new bob"

# userdel with a hook in userdel-pre.d (the name comes in $SUBJECT).
in_sandbox sed -i '/^USERDEL_CMD/d' /etc/login.defs
in_sandbox useradd --create-home carol
echo "carol:carol-old-password" | in_sandbox "${STOCK_APP[@]}" chpasswd
enroll_codes carol
in_sandbox install -d /etc/shadow-maint/userdel-pre.d
in_sandbox ln -s "$hook" /etc/shadow-maint/userdel-pre.d/50-recoveryd-forget
expect_exit 0 "userdel carol" in_sandbox userdel carol
assert_contains "$WORK/out" "Removed 1 enrollment of carol."
await_audit 1 "action = 'methods.forget' AND target_user = 'carol'" "audit rows of forgetting carol"
echo PASS
