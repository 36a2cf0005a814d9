# A crash in the middle of a shadow rewrite leaves a temp file beside
# /etc/shadow holding every account's hash. recoveryd removes such files when
# it starts (under the password database lock), and nothing else. While
# another program holds that lock it does not wait for it (the login that
# started it would lose its offer): it serves at once and leaves the files
# to its next start. A crash between a rewrite and its audit row leaves the
# rewrite's intent: the start audits it.
source "$(dirname "$0")/lib.sh"

sandbox up --no-daemon
in_sandbox sh -c 'cp -p /etc/shadow /etc/.shadow.recoveryd-Q7zT1x && cp -p /etc/shadow /etc/.shadow-.recoveryd-AbC123'
in_sandbox sh -c 'cp -p /etc/shadow /etc/.shadow.recoveryd-notours && echo keep > /etc/shadow.recoveryd-Q7zT1x'

hold_password_lock
started=$SECONDS
sandbox daemon-start
# A generous bound: the lock's own wait is 15 s.
((SECONDS - started < 10)) || fail "recoveryd took $((SECONDS - started)) s to start while the lock was held"
assert_contains "$SANDBOX/log/recoveryd.log" "stale shadow temp files not looked for: the password database is locked"
in_sandbox test -e /etc/.shadow.recoveryd-Q7zT1x || fail "a temp file went while the lock was held"
sandbox daemon-stop
release_password_lock

# An intent whose new hash /etc/shadow does not hold: the rewrite never came.
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db \
    "INSERT INTO rotation_intents (noted_at, action, actor, target_user, uid, new_hash_digest, tty)
     VALUES (1, 'password.rotate', 'pam:login', 'alice', $(in_sandbox id -u alice), randomblob(32), 'tty3')"
sandbox daemon-start
assert_contains "$SANDBOX/log/recoveryd.log" "finished 1 password change(s) a stop interrupted"
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'error' AND target_user = 'alice' AND tty = 'tty3'")" \
    "audit rows of the interrupted rotation"
assert_eq 0 "$(in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db 'SELECT count(*) FROM rotation_intents')" "intents left"
in_sandbox ls -a /etc > "$WORK/etc"
assert_not_contains "$WORK/etc" ".shadow.recoveryd-Q7zT1x"
assert_not_contains "$WORK/etc" ".shadow-.recoveryd-AbC123"
assert_contains "$WORK/etc" ".shadow.recoveryd-notours"
assert_contains "$WORK/etc" "shadow.recoveryd-Q7zT1x"
assert_contains "$SANDBOX/log/recoveryd.log" "removed 2 temp file(s)"
echo PASS
