# Like sshd's password method: the application fails echo-on prompts. The
# module returns at once, starting nothing.
source "$(dirname "$0")/lib.sh"

sandbox up
printf 'wrong-password\n' > "$WORK/answers"
start=$(date +%s%N)
result=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user alice --conv-fails \
    --answers "$WORK/answers" --transcript "$WORK/t" || true)
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
assert_eq PAM_AUTH_ERR "$result" "stack result"
((elapsed_ms < 2000)) || fail "took ${elapsed_ms} ms"
assert_eq 0 "$(audit "action = 'flow.start'")" "flows started"
echo PASS
