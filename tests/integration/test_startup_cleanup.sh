# A crash in the middle of a shadow rewrite leaves a temp file beside
# /etc/shadow holding every account's hash. recoveryd removes such files when
# it starts (under the password database lock), and nothing else.
source "$(dirname "$0")/lib.sh"

sandbox up --no-daemon
in_sandbox sh -c 'cp -p /etc/shadow /etc/.shadow.recoveryd-Q7zT1x && cp -p /etc/shadow /etc/.shadow-.recoveryd-AbC123'
in_sandbox sh -c 'cp -p /etc/shadow /etc/.shadow.recoveryd-notours && echo keep > /etc/shadow.recoveryd-Q7zT1x'
sandbox daemon-start
in_sandbox ls -a /etc > "$WORK/etc"
assert_not_contains "$WORK/etc" ".shadow.recoveryd-Q7zT1x"
assert_not_contains "$WORK/etc" ".shadow-.recoveryd-AbC123"
assert_contains "$WORK/etc" ".shadow.recoveryd-notours"
assert_contains "$WORK/etc" "shadow.recoveryd-Q7zT1x"
assert_contains "$SANDBOX/log/recoveryd.log" "removed 2 temp file(s)"
echo PASS
