#!/bin/bash
# lintian on the package build's .changes: no errors and no warnings. Each
# override in debian/*.lintian-overrides says why in a comment.
#   test_lintian.sh DEBS-DIR   (the output of build-debs)
set -euo pipefail

debs=${1:?usage: test_lintian.sh DEBS-DIR}
changes=$(compgen -G "$debs/*.changes") || { echo "FAIL: no .changes in $debs (build-debs failed?)" >&2; exit 1; }
# --fail-on error,warning: exit status 2 on either; info and pedantic tags
# are shown but do not fail.
lintian --fail-on error,warning --display-info "$changes"
echo "PASS: lintian clean"
