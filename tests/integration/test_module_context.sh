# What the module tells the daemon in StartFlow's context: the PAM items,
# "uid" (the application's real uid, as uint32) and "loginuid" (its audit
# login uid; 4294967295 when unset). MayOffer, asked before the offer, gets
# the same context and no user name. Against fake-recoveryd, which logs the
# context it receives.
source "$(dirname "$0")/lib.sh"

# start_flow_line PREFIX...: one login (answer "yes") run under PREFIX; prints the StartFlow line the fake logged.
start_flow_line() {
    printf 'yes\n' > "$WORK/answers"
    in_sandbox "$@" "$build_dir/tests/tools/pam-driver" --service module-only --user alice --tty tty-ctx \
        --answers "$WORK/answers" >/dev/null || true
    grep '^StartFlow' "$WORK/fake.out" | tail -1
}

sandbox up --no-daemon
fake_start succeed
alice_uid=$(in_sandbox id -u alice)

line=$(start_flow_line env)
[[ $line == "StartFlow user=alice service=module-only tty=tty-ctx uid=0 loginuid="* ]] || fail "context as root: '$line'"
assert_eq "$(cat /proc/self/loginuid)" "${line##*loginuid=}" "loginuid reported for this test's own login uid"
may_offer=$(grep '^MayOffer' "$WORK/fake.out" | tail -1)
assert_eq "MayOffer ${line#StartFlow user=alice }" "$may_offer" "MayOffer's context beside StartFlow's"

# su and sudo run as root with the invoking user's real uid.
line=$(start_flow_line setpriv --ruid "$alice_uid" --euid 0 --)
[[ $line == *" uid=$alice_uid loginuid="* ]] || fail "context with real uid $alice_uid: '$line'"

# A login session's audit uid, as pam_loginuid would have set it.
line=$(start_flow_line sh -c 'echo 1500 > /proc/self/loginuid && exec "$@"' set-loginuid)
assert_eq 1500 "${line##*loginuid=}" "loginuid reported after setting it to 1500"
echo PASS
