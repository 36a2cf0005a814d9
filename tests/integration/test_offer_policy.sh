# Where recovery may start ([Recovery] Services and AllowRemote): where the
# policy does not offer it, the module asks nothing (its MayOffer call says
# no) and the password module alone decides: the transcript is that of the
# same stack without pam_recovery.so. Where it does, the offer shows and a
# flow starts. A StartFlow sent straight to the daemon for a login the policy
# leaves out is refused and audited as a denied flow.start.
source "$(dirname "$0")/lib.sh"

policy_is() {  # CONTENT: the only drop-in; the daemon restarts on it
    in_sandbox install -d -m 0755 /etc/recoveryd/recoveryd.conf.d
    printf '%s\n' "$1" | in_sandbox tee /etc/recoveryd/recoveryd.conf.d/50-offer.conf >/dev/null
    sandbox daemon-stop
    sandbox daemon-start
}

# attempt SERVICE NAME [--rhost HOST]: a wrong password, then "yes" and "1"
# should anything ask; sets RESULT; the transcript is $WORK/NAME.transcript.
attempt() {
    local service=$1 name=$2; shift 2
    printf 'wrong-password\nyes\n1\n' > "$WORK/$name.answers"
    RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service "$service" --user alice "$@" \
        --answers "$WORK/$name.answers" --transcript "$WORK/$name.transcript" || true)
}

assert_no_offer() {  # NAME [pam-driver options]: as the stack without the module, to the byte
    assert_eq PAM_AUTH_ERR "$RESULT" "result of $1"
    assert_not_contains "$WORK/$1.transcript" "Can't access your account?"
    attempt without-recovery-test "$1-without" "${@:2}"
    cmp "$WORK/$1.transcript" "$WORK/$1-without.transcript" ||
        fail "$1: the transcript differs from the stack without pam_recovery.so"
}

assert_offer() {  # NAME: the offer, then the daemon's menu
    assert_contains "$WORK/$1.transcript" "prompt-echo-off: Can't access your account?"
    assert_contains "$WORK/$1.transcript" "Choose 1-3:"
}

peer() { in_sandbox "$build_dir/tests/tools/flow-peer" "$@" || true; }
denied=io.recoveryd.Recovery1.Error.AccessDenied

sandbox up
# The recovery stack under the name "login" too (the sandbox's /etc is an
# overlay: the host's login is untouched).
in_sandbox cp /etc/pam.d/recovery-test /etc/pam.d/login

# Services = login: no prompt through another service, the offer through login.
policy_is $'[Recovery]\nServices = login'
attempt recovery-test other-service
assert_no_offer other-service
run_pam recovery-test alice right-password alice-old-password
assert_eq PAM_SUCCESS "$RESULT" "the right password through a service without recovery"
attempt login listed-service
assert_offer listed-service
assert_eq 0 "$(audit "action = 'flow.start' AND service = 'recovery-test'")" "flows started for recovery-test"
assert_eq 1 "$(audit "action = 'flow.start' AND outcome = 'ok' AND service = 'login'")" "flows started for login"

# Straight on the bus, as root: the daemon answers the same and refuses the start.
assert_eq true "$(peer may-offer service=login tty=tty1)" "MayOffer for login"
assert_eq false "$(peer may-offer service=su tty=tty1)" "MayOffer for su"
assert_eq false "$(peer may-offer tty=tty1)" "MayOffer for a login naming no service"
assert_eq "$denied" "$(peer start alice service=su tty=tty1)" "StartFlow for su"
assert_eq "$denied" "$(peer start alice tty=tty1)" "StartFlow naming no service"
[[ $(peer start alice service=login tty=tty1) == /io/recoveryd/Recovery1/flow/* ]] || fail "StartFlow for login refused"
await_audit 1 "action = 'flow.start' AND outcome = 'denied' AND service = 'su' AND target_user = 'alice'
    AND detail LIKE '%PAM service ''su''%(Services)%'" "denied flow.start rows for su"
await_audit 2 "action = 'flow.start' AND outcome = 'denied'" "denied flow.start rows"
assert_eq 0 "$(audit "action = 'flow.start' AND outcome = 'ok' AND service = 'su'")" "flows started for su"

# AllowRemote = no: no prompt for a login from a remote host, the offer for a local one.
policy_is $'[Recovery]\nAllowRemote = no'
attempt recovery-test remote --rhost 192.0.2.7
assert_no_offer remote --rhost 192.0.2.7
attempt recovery-test local
assert_offer local
assert_eq 0 "$(audit "action = 'flow.start' AND rhost = '192.0.2.7'")" "flow.start rows from the remote host"
assert_eq false "$(peer may-offer service=sshd rhost=192.0.2.7)" "MayOffer from a remote host"
assert_eq "$denied" "$(peer start alice service=sshd tty=ssh rhost=192.0.2.7)" "StartFlow from a remote host"
await_audit 1 "action = 'flow.start' AND outcome = 'denied' AND rhost = '192.0.2.7' AND detail LIKE '%AllowRemote = no%'" \
    "denied flow.start rows from the remote host"

# The defaults (every service, remote hosts too): the same remote login gets the offer.
policy_is ''
attempt recovery-test remote-default --rhost 192.0.2.7
assert_offer remote-default
echo PASS
