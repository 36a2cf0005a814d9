#!/bin/bash
# Each man page renders without a warning: `man --warnings -l PAGE` (the
# issue's check) and lintian's own invocation (groff output, UTF-8, 80
# columns) print nothing on stderr and exit 0.
set -uo pipefail

export LC_ALL=C.UTF-8
status=0
check() {
    local page=$1 what=$2 warnings rc
    shift 2
    warnings=$("$@" 2>&1 >/dev/null)
    rc=$?
    if ((rc != 0)) || [[ -n $warnings ]]; then
        echo "FAIL: $page ($what): exit status $rc, warnings:"
        echo "$warnings"
        status=1
    fi
}

for page in "$@"; do
    if [[ ! -s $page ]]; then
        echo "FAIL: $page: missing or empty (is the man_pages target built?)"
        status=1
        continue
    fi
    check "$page" "man --warnings" man --warnings -l "$page"
    check "$page" "as lintian renders it" \
        env MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page"
    echo "checked: $page"
done
exit $status
