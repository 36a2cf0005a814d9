#!/bin/bash
# Each man page renders with `man --warnings -l` printing nothing on stderr
# and exit status 0 (what lintian's and Debian's checks ask).
set -uo pipefail

status=0
for page in "$@"; do
    if [[ ! -s $page ]]; then
        echo "FAIL: $page: missing or empty (is the man_pages target built?)"
        status=1
        continue
    fi
    warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' man --warnings -l "$page" 2>&1 >/dev/null)
    rc=$?
    if ((rc != 0)) || [[ -n $warnings ]]; then
        echo "FAIL: $page: man exit status $rc, warnings:"
        echo "$warnings"
        status=1
    else
        echo "ok: $page"
    fi
done
exit $status
