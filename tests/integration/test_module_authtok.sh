# No stale PAM_AUTHTOK: once a flow has started the module clears the
# password pam_unix stored (the wrong one, or we would not be here), so the
# modules after it never receive it. A probe module placed after
# pam_recovery.so records whether a token is set ("set"/"unset", never the
# token), with AfterReset = continue so that the login goes on.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
in_sandbox install -d -m 0755 /etc/recoveryd/recoveryd.conf.d
printf '[Recovery]\nAfterReset = continue\n' | in_sandbox tee /etc/recoveryd/recoveryd.conf.d/20-continue.conf >/dev/null
sandbox daemon-stop
sandbox daemon-start

in_sandbox tee /etc/pam.d/authtok-test >/dev/null <<EOF2
auth [success=2 default=ignore] pam_unix.so nullok
auth [success=1 default=ignore authinfo_unavail=ignore] $build_dir/pam_module/pam_recovery.so
auth requisite pam_deny.so
auth required $build_dir/tests/tools/pam_authtok_probe.so $WORK/probe.out
account required pam_unix.so
EOF2

# The probe sees pam_unix's token after a correct password (so it can see one).
run_pam authtok-test alice correct alice-old-password
assert_eq PAM_SUCCESS "$RESULT" "result with the correct password"
assert_eq set "$(cat "$WORK/probe.out")" "what the probe saw after a correct password"

rm "$WORK/probe.out"
run_pam authtok-test alice recovered wrong-password yes 1 "${CODES[4]}" authtok-new-password authtok-new-password
assert_eq PAM_SUCCESS "$RESULT" "result after a recovery with AfterReset = continue"
assert_eq unset "$(cat "$WORK/probe.out")" "what the probe saw after the recovery"
echo PASS
