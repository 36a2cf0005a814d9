# 300 logins waiting at "Recovery code:" hold no connection to the bus
# (DESIGN.md invariant 2): root's connection count on the bus stays where it
# was (dbus-daemon allows each user 256 on the system bus), other root
# clients keep working, and a real recovery succeeds meanwhile.
source "$(dirname "$0")/lib.sh"

root_connections() {
    in_sandbox busctl --system list --unique --no-legend | awk '$4 == "root"' | wc -l
}

sandbox up
enroll_codes alice
before=$(root_connections)

# Each login answers the offer, then waits with its stdin open, as a person
# reading a code off paper would. Distinct terminals: [Limits] caps each.
# They start 20 at a time, each batch once the one before reached the code
# prompt: what is measured is 300 logins waiting, not 300 processes starting
# at once (under the sanitizers on a loaded 2-core machine, such a herd
# starves the logins' own 1.5 s bus calls of CPU, daemon or not).
start_logins() {
    in_sandbox bash -c '
        for i in $(seq "$3" "$4"); do
            { printf "yes\n1\n"; exec sleep 600; } |
                '"${STOCK_APP[*]}"' "$1" --service module-only --user bob --tty "pts/$i" --answers - \
                    --transcript "$2/waiting-$i.transcript" > /dev/null &
        done
        wait' waiting "$build_dir/tests/tools/pam-driver" "$WORK" "$1" "$2" &
}
for last in $(seq 20 20 300); do
    start_logins $((last - 19)) "$last"
    for _ in $(seq 600); do
        (($(audit "action = 'flow.start'") >= last)) && break
        sleep 0.2
    done
    assert_eq "$last" "$(audit "action = 'flow.start'")" "logins waiting at the code prompt"
done
echo "300 logins waiting after ${SECONDS}s" >&2
sleep 1
assert_eq "$before" "$(root_connections)" "root's connections on the bus with 300 logins waiting"
in_sandbox busctl --system call org.freedesktop.DBus / org.freedesktop.DBus GetId > /dev/null ||
    fail "root cannot use the bus"
in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping ||
    fail "root cannot reach recoveryd"

run_pam recovery-test alice story wrong-password yes 1 "${CODES[2]}" meanwhile-password-1 meanwhile-password-1
assert_contains "$WORK/story.transcript" "Your password has been changed."
password_works alice meanwhile-password-1 || fail "pam_unix rejects the new password"
echo "recovery meanwhile done after ${SECONDS}s" >&2
in_sandbox pkill -f "sleep 600" || true
wait || true
echo "waiting logins ended after ${SECONDS}s" >&2
echo PASS
