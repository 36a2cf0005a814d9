# The SSH tests' server and client (sourced after lib.sh): OpenSSH's sshd in
# the sandbox, in its network namespace (the tests bring it up with
# `sandbox up --network`), on 127.0.0.1 only, with its own configuration,
# host key and PAM service file; and the ssh client, run as bob so that
# nothing touches the host's ~/.ssh.
SSH_PORT=2222
SSH_DIR=/etc/ssh/recovery-test  # in the sandbox (an overlay): written freely
# Not -q nor LogLevel=ERROR: ssh shows a keyboard-interactive message that
# comes without a prompt ("Your password has been changed.") at level INFO.
SSH_CLIENT=(ssh -F /dev/null -p "$SSH_PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
            -o NumberOfPasswordPrompts=1)

# sshd's PAM service, wired as Debian's /etc/pam.d/sshd is: common-auth (in
# the sandbox, pam_unix then pam_recovery.so) and the other common stacks.
ssh_pam_debian() {
    printf '@include common-auth\naccount required pam_nologin.so\n@include common-account\n@include common-session\n@include common-password\n' |
        in_sandbox tee /etc/pam.d/sshd >/dev/null
}

# ssh_pam_nodelay with|without: the same auth stack as common-auth, with or
# without pam_recovery.so, and pam_unix without its fail delay, so that the
# time of a failed password measures the module, not pam_unix's 2 s.
ssh_pam_nodelay() {
    local module=$build_dir/pam_module/pam_recovery.so
    if [[ $1 == with ]]; then
        printf '%s\n' "auth [success=2 default=ignore] pam_unix.so nullok nodelay" \
            "auth [success=1 default=ignore authinfo_unavail=ignore] $module"
    else
        printf '%s\n' "auth [success=1 default=ignore] pam_unix.so nullok nodelay"
    fi > "$WORK/pam-sshd-$1"
    printf '%s\n' "auth requisite pam_deny.so" "auth required pam_permit.so" \
        "@include common-account" "@include common-session" >> "$WORK/pam-sshd-$1"
    in_sandbox install -m 0644 "$WORK/pam-sshd-$1" /etc/pam.d/sshd
}

ssh_fail() {  # fail, with sshd's log
    echo "--- sshd log:"; cat "$SANDBOX/log/sshd.log" 2>/dev/null || true
    fail "$@"
}

# sshd_start kbd-interactive|password: starts sshd with that one method
# (keyboard-interactive: PAM's own conversation; password: sshd's, which
# answers every echo-off prompt with the password) and waits until it
# listens. In a sanitizer build sshd runs as a STOCK_APP: it re-executes
# itself for each connection with its environment, so the runtimes reach
# the privileged process that runs PAM (the tests check it).
sshd_start() {
    local kbd=no password=no
    case $1 in
        kbd-interactive) kbd=yes ;;
        password) password=yes ;;
        *) fail "sshd_start: unknown method $1" ;;
    esac
    in_sandbox install -d -m 0755 "$SSH_DIR"
    in_sandbox install -d -m 0755 /run/sshd  # privilege separation
    in_sandbox ssh-keygen -q -t ed25519 -N '' -C recovery-test -f "$SSH_DIR/host_key"
    in_sandbox tee "$SSH_DIR/sshd_config" >/dev/null <<CONFIG
ListenAddress 127.0.0.1:$SSH_PORT
HostKey $SSH_DIR/host_key
PidFile none
UsePAM yes
KbdInteractiveAuthentication $kbd
PasswordAuthentication $password
PubkeyAuthentication no
PermitRootLogin no
AllowUsers alice
PrintMotd no
PrintLastLog no
UseDNS no
LogLevel VERBOSE
CONFIG
    in_sandbox /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || ssh_fail "sshd refuses its configuration"
    # Not via in_sandbox: $! must be sshd (nsenter execs it).
    "$sandbox_tool" exec "$SANDBOX" -- "${STOCK_APP[@]}" /usr/sbin/sshd -D -e -f "$SSH_DIR/sshd_config" \
        </dev/null >>"$SANDBOX/log/sshd.log" 2>&1 &
    SSHD_JOB=$!
    for _ in $(seq 100); do
        in_sandbox ss -Hltn "sport = :$SSH_PORT" | grep -q LISTEN && break
        kill -0 "$SSHD_JOB" 2>/dev/null || ssh_fail "sshd exited"
        sleep 0.1
    done
    in_sandbox ss -Hltn "sport = :$SSH_PORT" | grep -q LISTEN ||
        ssh_fail "sshd did not start listening on 127.0.0.1:$SSH_PORT"
    # ... in the sandbox's network namespace only, not the host's.
    [[ $(in_sandbox readlink /proc/self/ns/net) != "$(readlink /proc/self/ns/net)" ]] ||
        ssh_fail "the sandbox has no network namespace of its own"
    ! ss -Hltn "sport = :$SSH_PORT" | grep -q "127.0.0.1:$SSH_PORT" ||
        ssh_fail "the host sees the sandbox's sshd listening"
}

# sshd_pam_processes: the sandbox's processes that have pam_recovery.so
# loaded (sshd's privileged process for a login in progress).
sshd_pam_processes() {
    local namespace pid
    namespace=$(in_sandbox readlink /proc/self/ns/mnt)
    for pid in $(pgrep -x sshd); do
        [[ $(readlink "/proc/$pid/ns/mnt" 2>/dev/null) == "$namespace" ]] || continue
        grep -q pam_recovery.so "/proc/$pid/maps" 2>/dev/null && echo "$pid"
    done
    return 0
}

# ssh_password PASSWORD ARGS...: ssh as bob, to alice with the password method,
# the password given by SSH_ASKPASS; the exit status is ssh's.
ssh_password() {
    local password=$1; shift
    as_user bob env SSH_ASKPASS=/run/sandbox-tools/ssh-askpass SSH_ASKPASS_REQUIRE=force \
        SSH_TEST_PASSWORD="$password" "${SSH_CLIENT[@]}" -o PreferredAuthentications=password \
        alice@127.0.0.1 "$@" </dev/null
}

# ssh_password_ms PASSWORD: as ssh_password, no command; prints ssh's exit
# status and how long it ran in ms, timed in the sandbox (not the harness's
# own start-up).
ssh_password_ms() {
    as_user bob env SSH_ASKPASS=/run/sandbox-tools/ssh-askpass SSH_ASKPASS_REQUIRE=force \
        SSH_TEST_PASSWORD="$1" sh -c 'start=$(date +%s%N); status=0; "$@" </dev/null || status=$?
                                      echo "$status $((($(date +%s%N) - start) / 1000000))"' \
        ssh-timed "${SSH_CLIENT[@]}" -o PreferredAuthentications=password alice@127.0.0.1 true
}

# The askpass program answers with $SSH_TEST_PASSWORD; bob must reach it.
install_askpass() {
    in_sandbox install -m 0755 "$source_dir/tests/integration/ssh/askpass" /run/sandbox-tools/ssh-askpass
}
