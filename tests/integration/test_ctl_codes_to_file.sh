# recoveryctl enroll codes with its output going to a file or a pipe: the
# codes are all there, and a warning on stderr says that they now live in that
# file (test_enroll_at_terminal.sh checks that a terminal gets no warning).
source "$(dirname "$0")/lib.sh"

enroll() {
    echo alice-old-password | as_user alice /run/sandbox-tools/recoveryctl enroll codes
}
count_codes() {
    grep -cE '^ +[0-9]+\. [0-9A-Z]{4}(-[0-9A-Z]{4}){3}$' "$1"
}

sandbox up
enroll >"$WORK/codes" 2>"$WORK/to-file.stderr"
assert_eq 10 "$(count_codes "$WORK/codes")" "codes in the file"
assert_contains "$WORK/to-file.stderr" "warning: standard output is not a terminal"
assert_not_contains "$WORK/codes" "warning"

enroll 2>"$WORK/to-pipe.stderr" | cat >"$WORK/piped-codes"
assert_eq 10 "$(count_codes "$WORK/piped-codes")" "codes through the pipe"
assert_contains "$WORK/to-pipe.stderr" "warning: standard output is not a terminal"
echo PASS
