# SSH password method not delayed (module steps aside), issue 10: sshd's
# PasswordAuthentication (KbdInteractiveAuthentication off) answers every
# echo-off prompt, the offer too, with the password. The module must take
# that as "not yes" and return at once: a wrong password fails as fast with
# pam_recovery.so in the stack as without it (pam_unix with nodelay in both,
# so its 2 s fail delay does not hide the module's), no flow starts, and the
# right password still logs in.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ssh/sshd.sh"

ROUNDS=7

sandbox up --network
enroll_codes alice  # alice could recover: the offer is made
install_askpass
sshd_start password

# Every call to the daemon's Manager, to count the module's MayOffer calls.
monitor_manager_calls "" "$WORK/monitor.out"

# time_failed_login STACK: switches sshd's PAM service (sshd reads it at
# each login), then times one login with a wrong password into ELAPSED_MS.
time_failed_login() {
    local status
    ssh_pam_nodelay "$1"
    read -r status ELAPSED_MS < <(ssh_password_ms wrong-password 2>>"$WORK/ssh.err")
    ((status == 255)) || ssh_fail "a wrong password with the stack $1: ssh exited $status"
}

# Interleaved, the order alternating, so that load on the machine falls on both.
with=() without=()
for round in $(seq "$ROUNDS"); do
    order=(with without)
    ((round % 2)) || order=(without with)
    for stack in "${order[@]}"; do
        time_failed_login "$stack"
        if [[ $stack == with ]]; then with+=("$ELAPSED_MS"); else without+=("$ELAPSED_MS"); fi
    done
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
with_ms=$(median "${with[@]}")
without_ms=$(median "${without[@]}")
echo "failed password, median of $ROUNDS: ${with_ms} ms with pam_recovery.so, ${without_ms} ms without"
echo "  with: ${with[*]}; without: ${without[*]}"
# Generous: at most 1.5 times as long, or 1 s more (a loaded machine).
((with_ms * 2 <= without_ms * 3 || with_ms <= without_ms + 1000)) ||
    ssh_fail "a wrong password took ${with_ms} ms with the module, ${without_ms} ms without"

# The module was asked each time (it did not step aside by not running) ...
offers=$(grep -c 'member=MayOffer' "$WORK/monitor.out" || true)
assert_eq "$ROUNDS" "$offers" "MayOffer calls (one per wrong password with the module)"
# ... and started nothing.
assert_eq 0 "$(audit "action = 'flow.start'")" "flow.start rows"

# The right password logs in, the module in the stack.
ssh_pam_nodelay with
assert_eq alice "$(ssh_password alice-old-password id -un)" "who the password login is"
echo PASS
