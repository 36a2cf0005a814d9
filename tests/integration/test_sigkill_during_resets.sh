# recoveryd killed (SIGKILL) at any moment of an administrator's password
# reset, over and over, each time started again by the next call (D-Bus
# activation): /etc/shadow is always whole and holds either the old or the
# new password; every change of the hash has exactly one audit row saying
# "ok", whether the killed instance wrote it or the next start settled its
# intent, and exactly one owner's notice and one password-history entry
# holding the replaced hash, whether the killed instance made them or the
# next start did what the kill cut short (before or after that row); a
# reset that told the administrator a temporary password really set it; no
# intent and no temp file is left; the audit chain verifies. The kills land
# at random points, one in each slice of one reset's duration (a uniform
# spread missed the notice's window in all 16 rounds of one sanitizer run).
# The windows between the rewrite and its history entry, that entry and the
# row, and the row and the notice, are a few milliseconds each; triggers
# that burn about 150 ms before each history entry, success row and notice
# widen them, so that many rounds land in each.
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-16}

sandbox up --activation --policy "$(admin_policy)"
db=/var/lib/recoveryd/recoveryd.db

ping_daemon() {  # starts recoveryd if it is not running (a start settles intents)
    in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping \
        > /dev/null || fail "Peer.Ping did not start recoveryd"
}
alice_hash() { in_sandbox getent shadow alice | cut -d: -f2; }
ok_rows() { audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'alice'"; }
settled_rows() { audit "action = 'password.reset' AND outcome = 'ok' AND target_user = 'alice'
                        AND detail LIKE 'found in /etc/shadow%'"; }
# Notices stored so far: their ids run on by one (only the oldest are
# pruned). Not their audit rows: a kill may fall between a notice and its row.
notices_made() { in_sandbox sqlite3 $db "SELECT coalesce(max(id), 0) FROM owner_notices"; }
history_made() { in_sandbox sqlite3 $db "SELECT coalesce(max(id), 0) FROM password_history"; }  # likewise
newest_history() { in_sandbox sqlite3 $db "SELECT hash FROM password_history ORDER BY id DESC LIMIT 1"; }
started_notice_rows() { audit "action = 'notice.add' AND outcome = 'ok' AND target_user = 'alice'
                               AND detail LIKE '%done by the next start%'"; }
password_works() {  # PASSWORD: pam_unix alone accepts it for alice
    printf '%s\n' "$1" > "$WORK/answer"
    in_sandbox "$build_dir/tests/tools/pam-driver" --service without-recovery-test --user alice \
        --answers "$WORK/answer" > /dev/null 2>&1
}

ping_daemon
ctl root reset-password alice > "$WORK/reset.out" || fail "reset-password: $(cat "$WORK/reset.out")"
in_sandbox sqlite3 $db "CREATE TABLE burn (x INTEGER);
    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 160) INSERT INTO burn SELECT x FROM n;
    CREATE TRIGGER slow_success_row BEFORE INSERT ON audit
        WHEN NEW.action = 'password.reset' AND NEW.outcome = 'ok'
        BEGIN SELECT count(*) FROM burn a, burn b, burn c WHERE a.x + b.x + c.x > 0; END;
    CREATE TRIGGER slow_notice BEFORE INSERT ON owner_notices
        BEGIN SELECT count(*) FROM burn a, burn b, burn c WHERE a.x + b.x + c.x > 0; END;
    CREATE TRIGGER slow_history BEFORE INSERT ON password_history
        BEGIN SELECT count(*) FROM burn a, burn b, burn c WHERE a.x + b.x + c.x > 0; END"
# One uninterrupted reset: how long it takes, to spread the kills over.
started=$(date +%s%N)
ctl root reset-password alice > "$WORK/reset.out" || fail "reset-password: $(cat "$WORK/reset.out")"
span_ms=$((($(date +%s%N) - started) / 1000000 + 20))
echo "one reset: $((span_ms - 20)) ms; kills spread over $span_ms ms"

made=0 told=0 settled=0 followed_up=0
for ((round = 0; round < ROUNDS; round++)); do
    ping_daemon
    pid=$(sandbox_pid recoveryd)
    before_hash=$(alice_hash) before_ok=$(ok_rows) before_settled=$(settled_rows) before_notices=$(notices_made)
    before_started=$(started_notice_rows) before_history=$(history_made)
    ctl root reset-password alice > "$WORK/reset.out" 2>&1 &
    reset=$!
    # Round i kills at a random point of the i-th of ROUNDS equal slices of
    # the span: every stretch of the reset longer than a slice gets a kill.
    sleep "$(awk -v i=$round -v n=$ROUNDS -v r=$RANDOM -v s="$span_ms" \
        'BEGIN { printf "%.3f", (i + r / 32768) / n * s / 1000 }')"
    kill -KILL "$pid" 2>/dev/null || true
    reset_status=0
    wait "$reset" || reset_status=$?
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    ping_daemon  # a new instance: it settles what the killed one left

    after_hash=$(alice_hash)
    [[ $after_hash == \$* ]] || fail "round $round: alice's shadow entry is not a hash: '$after_hash'"
    expected=0
    [[ $after_hash == "$before_hash" ]] || expected=1
    made=$((made + expected))
    assert_eq $((before_ok + expected)) "$(ok_rows)" "round $round: ok rows of alice's reset (hash changed: $expected)"
    assert_eq "$expected" $(($(notices_made) - before_notices)) "round $round: owner's notices (hash changed: $expected)"
    assert_eq "$expected" $(($(history_made) - before_history)) "round $round: history entries (hash changed: $expected)"
    if ((expected)); then
        [[ $(newest_history) == "$before_hash" ]] || fail "round $round: the history's newest entry is not the replaced hash"
    fi
    if (($(settled_rows) > before_settled)); then
        settled=$((settled + 1))
    elif (($(started_notice_rows) > before_started)); then
        followed_up=$((followed_up + 1))  # killed after its row, before its notice
    fi
    assert_eq 0 "$(in_sandbox sqlite3 $db 'SELECT count(*) FROM rotation_intents')" "round $round: intents left"
    if ((reset_status == 0)); then
        told=$((told + 1))
        temporary=$(grep -oE '[0-9a-z]{5}(-[0-9a-z]{5}){3,}' "$WORK/reset.out" | head -n 1)
        [[ -n $temporary ]] || fail "round $round: no temporary password in: $(cat "$WORK/reset.out")"
        password_works "$temporary" || fail "round $round: the temporary password the administrator got does not work"
    fi
done
echo "rounds: $ROUNDS; hash changed: $made; temporary password told: $told; settled by a start: $settled;" \
    "followed up by a start after the row: $followed_up"
((settled > 0)) || fail "no kill landed between a rewrite and its audit row in $ROUNDS rounds"
((followed_up > 0)) || fail "no kill landed between an audit row and its notice in $ROUNDS rounds"

in_sandbox ls -a /etc > "$WORK/etc"
assert_not_contains "$WORK/etc" ".shadow.recoveryd-"
ctl root audit --verify > "$WORK/verify.out" 2>&1 || fail "audit --verify: $(cat "$WORK/verify.out")"
echo PASS
