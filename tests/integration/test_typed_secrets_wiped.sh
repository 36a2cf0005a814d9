# What a person types at the prompt (a code, a new password) does not stay in
# recoveryd's memory once the call carrying it is done, even when the call
# never reaches a handler: a Flow.Next for a flow that has expired or never
# was (found left unwiped before the bus filter that marks it). The bytes
# are looked for in every writable mapping of the running daemon
# (/proc/PID/mem), where freed heap keeps them unless they were wiped.
source "$(dirname "$0")/lib.sh"

sandbox up
pid=$(sandbox_pid recoveryd)
marker() { printf 'typed-secret-%s-%s' "$1" "$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"; }

# Copies of MARKER in the daemon's writable, resident memory. Mappings over
# 1 GiB are left out: the sanitizer build reserves terabytes for its shadow,
# and the daemon's heap is far smaller.
copies_in_daemon() {
    python3 - "$pid" "$1" <<'PY'
import sys
pid, marker = sys.argv[1], sys.argv[2].encode()
regions, region = [], None
with open(f"/proc/{pid}/smaps") as smaps:
    for line in smaps:
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            region = (start, end) if "w" in fields[1] and end - start <= 1 << 30 else None
        elif fields[0] == "Rss:" and region and int(fields[1]) > 0:
            regions.append(region)
count = 0
with open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for start, end in regions:
        try:
            mem.seek(start)
            count += mem.read(end - start).count(marker)
        except OSError:
            pass
print(count)
PY
}

# A flow that does not exist: refused before any handler of recoveryd's runs.
next_secret=$(marker next)
in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1/flow/0123456789abcdef0123456789abcdef \
    io.recoveryd.Recovery1.Flow Next as 1 "$next_secret" > "$WORK/next.out" 2>&1 && fail "Next on no flow was answered"
assert_contains "$WORK/next.out" "Unknown object"
# Proof that the scan sees what the daemon keeps: a marker of its own sent as
# a user name, which is no secret and is not wiped.
name=$(marker name)
in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 io.recoveryd.Recovery1.Manager \
    StartFlow 'sa{sv}' "$name" 0 > /dev/null 2>&1 || true
until_true "the daemon to have answered" test "$(copies_in_daemon "$name")" -gt 0
assert_eq 0 "$(copies_in_daemon "$next_secret")" "copies of a code sent to no flow left in recoveryd's memory"

echo PASS
