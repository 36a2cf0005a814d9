# Shared by the integration tests: a sandbox per test, torn down on exit, and
# assertions that say what was expected and what came instead.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${RECOVERYD_BUILD_DIR:-$source_dir/build}
sandbox_tool=$source_dir/tests/harness/sandbox
golden_dir=$source_dir/tests/integration/golden
SANDBOX=$(mktemp -d /tmp/recoveryd-test-XXXXXX)
WORK=$SANDBOX/work
mkdir -p "$WORK"
export RECOVERYD_BUILD_DIR=$build_dir

TERMINALS=recoveryd-test-$$  # the tmux server of this test's terminals

cleanup() {
    local status=$?
    tmux -L "$TERMINALS" kill-server 2>/dev/null || true
    if ((status != 0)) && [[ -f $SANDBOX/log/recoveryd.log ]]; then
        echo "--- recoveryd log:"; cat "$SANDBOX/log/recoveryd.log"
    fi
    "$sandbox_tool" down "$SANDBOX" || true
    rm -rf "$SANDBOX"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }  # ctest counts exit 77 as skipped

assert_eq() {  # expected actual what
    [[ $1 == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

assert_contains() {  # file text
    grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "$1 does not contain '$2'"; }
}

assert_not_contains() {
    ! grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "$1 contains '$2'"; }
}

sandbox() {
    "$sandbox_tool" "$1" "$SANDBOX" "${@:2}"
    mkdir -p "$WORK"  # `down` removes the whole directory
}
in_sandbox() { "$sandbox_tool" exec "$SANDBOX" -- "$@"; }
as_user() { local user=$1; shift; "$sandbox_tool" exec "$SANDBOX" --user "$user" -- "$@"; }

# The prefix for a stock PAM application (login, pamtester): in a sanitizer
# build, pam_recovery.so loads into it only with the sanitizer runtimes
# preloaded, and with libcrypt too (ASan's crypt_r interceptor binds at start,
# before pam_unix would load it). The application's own leaks are not ours.
STOCK_APP=()
if grep -q '^RECOVERYD_SANITIZE:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
    STOCK_APP=(env "LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so):libcrypt.so.1"
               ASAN_OPTIONS=detect_leaks=0)
fi

# Terminals (tmux), for programs that need one: login, password prompts.
# terminal_open NAME COMMAND: when COMMAND ends, "[exited: STATUS]" shows.
terminal_open() {
    tmux -L "$TERMINALS" new-session -d -s "$1" -x 200 -y 50 "$2; echo \"[exited: \$?]\"; sleep 3600"
}

# terminal_wait NAME TEXT [COUNT]: waits until TEXT (a fixed string) has shown
# on COUNT lines (default 1); the screen so far is then in $WORK/screen.
terminal_wait() {
    for _ in $(seq 150); do
        tmux -L "$TERMINALS" capture-pane -p -S - -t "$1" > "$WORK/screen"
        (($(grep -cF -- "$2" "$WORK/screen") >= ${3:-1})) && return 0
        sleep 0.2
    done
    echo "--- screen:"; cat "$WORK/screen"
    fail "the terminal never showed '$2'"
}

terminal_type() {  # NAME LINE: types LINE and Enter
    tmux -L "$TERMINALS" send-keys -t "$1" -l -- "$2"
    tmux -L "$TERMINALS" send-keys -t "$1" Enter
}

# Enrolls USER's recovery codes with their password; sets CODES (an array).
enroll_codes() {
    local user=$1 output
    output=$(echo "$user-old-password" | as_user "$user" /run/sandbox-tools/recoveryctl enroll codes)
    mapfile -t CODES < <(grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){3}' <<<"$output")
    assert_eq 10 "${#CODES[@]}" "number of codes printed by recoveryctl"
}

# run_pam SERVICE USER NAME ANSWER... : authenticates with scripted answers;
# sets RESULT (the PAM result name); the transcript is $WORK/NAME.transcript.
run_pam() {
    local service=$1 user=$2 name=$3; shift 3
    printf '%s\n' "$@" > "$WORK/$name.answers"
    RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service "$service" --user "$user" \
        --answers "$WORK/$name.answers" --transcript "$WORK/$name.transcript" || true)
}

# timed_pam SERVICE USER NAME ANSWER...: run_pam, and ELAPSED_MS: how long
# the PAM transaction took (pam_start to pam_end, as pam-driver measures it).
# The process's own start (a sanitized one, on a loaded machine, can take
# seconds) is not the module's time.
timed_pam() {
    local service=$1 user=$2 name=$3; shift 3
    printf '%s\n' "$@" > "$WORK/$name.answers"
    rm -f "$WORK/$name.timings"
    RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service "$service" --user "$user" \
        --answers "$WORK/$name.answers" --transcript "$WORK/$name.transcript" --timings "$WORK/$name.timings" || true)
    ELAPSED_MS=$(($(cat "$WORK/$name.timings") / 1000))
}

# codes_left USER: "none" when USER has no codes enrolled, else how many are
# left, as USER's own `recoveryctl status` says.
codes_left() {
    local status
    status=$(as_user "$1" /run/sandbox-tools/recoveryctl status --json)
    if grep -q '"enrolled_at": null' <<<"$status"; then
        echo none
    else
        grep -oE '"remaining": [0-9]+' <<<"$status" | grep -oE '[0-9]+'
    fi
}

password_works() {  # USER PASSWORD -> 0 iff plain pam_unix accepts it
    run_pam plain-test "$1" check "$2"
    [[ $RESULT == PAM_SUCCESS ]]
}

audit() {  # SQL condition -> number of matching audit rows
    in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT count(*) FROM audit WHERE $1"
}

# await_audit COUNT CONDITION WHAT: waits up to 10 s for COUNT matching audit
# rows (the daemon records asynchronous ends, like a caller leaving, a
# moment later), then asserts that many.
await_audit() {
    for _ in $(seq 100); do
        [[ $(audit "$2") == "$1" ]] && break
        sleep 0.1
    done
    assert_eq "$1" "$(audit "$2")" "$3"
}

assert_same_as_golden() {  # transcript golden-name
    diff -u "$golden_dir/$2" "$1" || fail "transcript differs from $2 (if the change is intended, update the golden file)"
}

# fake_start MODE [USER]: tests/tools/fake-recoveryd takes recoveryd's name on
# the sandbox's bus (as root, or as USER); its log is $WORK/fake.out.
fake_start() {
    : > "$WORK/fake.out"
    if [[ -n ${2:-} ]]; then
        as_user "$2" /run/sandbox-tools/fake-recoveryd --mode "$1" >> "$WORK/fake.out" 2>&1 &
    else
        in_sandbox "$build_dir/tests/tools/fake-recoveryd" --mode "$1" >> "$WORK/fake.out" 2>&1 &
    fi
    FAKE_JOB=$!
    for _ in $(seq 100); do
        FAKE_PID=$(awk '/^ready/ { print $2 }' "$WORK/fake.out")
        [[ -n $FAKE_PID ]] && return 0
        sleep 0.1
    done
    fail "fake-recoveryd did not start: $(cat "$WORK/fake.out")"
}

fake_stop() {  # and wait until the bus has forgotten it
    kill "$FAKE_PID"
    wait "$FAKE_JOB" || true
    for _ in $(seq 100); do
        in_sandbox busctl --system status io.recoveryd.Recovery1 >/dev/null 2>&1 || return 0
        sleep 0.1
    done
    fail "the fake daemon's name stayed on the bus"
}

# sandbox_pid NAME: the pid of the process NAME in this test's sandbox (other
# tests' sandboxes may run one of their own).
sandbox_pid() {
    local namespace pid
    namespace=$(in_sandbox readlink /proc/self/ns/mnt)
    for pid in $(pgrep -x "$1"); do
        if [[ $(readlink "/proc/$pid/ns/mnt" 2>/dev/null) == "$namespace" ]]; then
            echo "$pid"
            return 0
        fi
    done
    fail "no $1 runs in the sandbox"
}

# A misconfigured bus policy that lets alice own recoveryd's name too (the
# module must not believe her); the bus re-reads its configuration.
let_alice_own_the_name() {
    in_sandbox tee /etc/dbus-1/system.d/zzz-alice-owns.conf > /dev/null <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="alice">
    <allow own="io.recoveryd.Recovery1"/>
  </policy>
</busconfig>
CONF
    in_sandbox busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig
}

# until_true WHAT COMMAND...: waits up to 10 s for COMMAND to succeed
# (ordering: the next step needs what it checks to have happened).
until_true() {
    local what=$1; shift
    for _ in $(seq 100); do
        "$@" && return 0
        sleep 0.1
    done
    fail "$what did not happen within 10 s"
}

# hold_password_lock: another program takes the password database lock (a
# write lock on /etc/.pwd.lock, what lckpwdf takes) and keeps it until
# release_password_lock.
hold_password_lock() {
    coproc LOCK {
        in_sandbox python3 -c '
import fcntl, os, sys
fd = os.open("/etc/.pwd.lock", os.O_WRONLY | os.O_CREAT, 0o600)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()'
    }
    local locked
    read -r locked <&"${LOCK[0]}"
    assert_eq locked "$locked" "the other program's lock"
}
release_password_lock() { eval "exec ${LOCK[1]}>&-"; }

# recoveryd has the password lock file open: a rotation or reset is in the
# lock's wait (it polls with F_SETLK, so /proc/locks shows no waiter).
daemon_opened_lock_file() {
    local opened
    opened=$(in_sandbox bash -c 'for fd in /proc/"$1"/fd/*; do readlink "$fd"; done' opened "$(sandbox_pid recoveryd)")
    grep -qx /etc/.pwd.lock <<<"$opened"
}

# The administrator path (issue 8): a policy naming the helpdesk group
# (hank is its member) as administrators, with any extra lines given.
admin_policy() {
    { printf '[Admin]\nGroups = helpdesk\n'; printf '%s\n' "$@"; } > "$WORK/admin-policy.conf"
    echo "$WORK/admin-policy.conf"
}

ctl() {  # USER ARGS...: recoveryctl as USER; its exit status is kept
    local user=$1; shift
    as_user "$user" /run/sandbox-tools/recoveryctl "$@"
}

# file_request USER NAME CONTACT REASON: files a request for help at the
# prompt; sets REQUEST_ID (as the person was told it, "K7Q-4MZ").
file_request() {
    run_pam recovery-test "$1" "$2" wrong-password yes 3 "$3" "$4"
    REQUEST_ID=$(grep -oE '[0-9A-Z]{3}-[0-9A-Z]{3}' "$WORK/$2.transcript" | head -n 1)
    [[ -n $REQUEST_ID ]] || fail "no request id in the transcript: $(cat "$WORK/$2.transcript")"
}

# approve USER ID [ARGS...]: `recoveryctl approve` as USER; sets APPROVAL_CODE.
approve() {
    local user=$1 id=$2; shift 2
    ctl "$user" approve "$id" "$@" > "$WORK/approve.out" || fail "approve $id as $user: $(cat "$WORK/approve.out")"
    APPROVAL_CODE=$(grep -oE '[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}' "$WORK/approve.out" | head -n 1)
    [[ -n $APPROVAL_CODE ]] || fail "no approval code in: $(cat "$WORK/approve.out")"
}

# monitor_manager_calls MEMBER FILE: dbus-monitor in the background, writing
# every call to MEMBER on recoveryd's Manager (any sender) to FILE; returns
# once it has seen a probe call, so nothing after it is missed.
monitor_manager_calls() {
    local member=$1 file=$2
    in_sandbox dbus-monitor --system \
        "type='method_call',interface='io.recoveryd.Recovery1.Manager'${member:+,member='$member'}" > "$file" 2>&1 &
    for _ in $(seq 100); do
        in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 io.recoveryd.Recovery1.Manager \
            TakeNotices s monitor-probe > /dev/null
        grep -q 'string "monitor-probe"' "$file" && return 0
        sleep 0.1
    done
    fail "dbus-monitor never saw a call: $(cat "$file")"
}
