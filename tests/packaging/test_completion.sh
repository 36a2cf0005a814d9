#!/bin/bash
# The bash completion offers every command that `recoveryctl --help` lists,
# and the subcommands of the commands that have them.
#   test_completion.sh RECOVERYCTL COMPLETION-FILE
set -euo pipefail

recoveryctl=${1:?usage: test_completion.sh RECOVERYCTL COMPLETION-FILE}
completion=${2:?usage: test_completion.sh RECOVERYCTL COMPLETION-FILE}
[[ -r /usr/share/bash-completion/bash_completion ]] ||
    { echo "SKIP: bash-completion is not installed (scripts/packages installs it)"; exit 77; }

# What completing "recoveryctl WORDS... <Tab>" offers, one word a line.
offers() {
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source "$1"; shift
        COMP_WORDS=(recoveryctl "$@" "")
        COMP_CWORD=$(($# + 1))
        COMP_LINE="${COMP_WORDS[*]}"
        COMP_POINT=${#COMP_LINE}
        _recoveryctl
        printf "%s\n" "${COMPREPLY[@]}"
    ' offers "$completion" "$@" | sort
}

# The commands in --help: CLI11 lists them, indented, under group headings
# (each an indented name and its description).
commands_in_help() {  # [COMMAND]
    "$recoveryctl" "$@" --help | awk '/^[A-Z].*:$/ || /^[A-Z][a-z]+( |$)/ { in_list = 1; next }
        in_list && /^  [a-z][a-z-]+  / { print $1 }' | sort -u
}

check() {  # what-is-completed expected-words offered-words
    local missing
    missing=$(comm -23 <(echo "$2") <(echo "$3"))
    [[ -z $missing ]] || { echo "FAIL: completing $1 does not offer: $missing (offers: $(echo $3))" >&2; exit 1; }
}

top=$(commands_in_help)
(($(wc -l <<<"$top") >= 10)) || { echo "FAIL: found only these commands in --help: $top" >&2; exit 1; }
check "recoveryctl" "$top" "$(offers)"
for command in enroll policy; do
    check "recoveryctl $command" "$(commands_in_help "$command")" "$(offers "$command")"
done
echo "PASS: the completion offers $(echo $top)"
