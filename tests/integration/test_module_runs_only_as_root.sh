# A PAM application not running as root (a screen locker runs as the user)
# gets PAM_IGNORE from the module, without a prompt. The same application
# run as root is offered recovery, which shows the stack itself works.
source "$(dirname "$0")/lib.sh"

sandbox up
# Where alice can reach them: the build tree may be closed to her.
in_sandbox install -m 0755 "$build_dir/tests/tools/pam-driver" "$build_dir/pam_module/pam_recovery.so" \
    /run/sandbox-tools/
printf 'auth required /run/sandbox-tools/pam_recovery.so\n' | in_sandbox tee /etc/pam.d/module-copy >/dev/null
printf 'yes\n' | in_sandbox tee /home/alice/answers >/dev/null

# attempt USER NAME: pam-driver as USER; sets RESULT, the transcript is $WORK/NAME.transcript.
attempt() {
    local user=$1 name=$2
    RESULT=$(as_user "$user" /run/sandbox-tools/pam-driver --service module-copy --user alice \
        --answers /home/alice/answers --transcript "/home/$user/$name.transcript" || true)
    in_sandbox cat "/home/$user/$name.transcript" > "$WORK/$name.transcript"
}

in_sandbox install -d -m 0755 /home/root
attempt root as-root
assert_contains "$WORK/as-root.transcript" "Can't access your account?"

attempt alice as-alice
assert_eq PAM_PERM_DENIED "$RESULT" "libpam's result when the only module ignores"
[[ ! -s $WORK/as-alice.transcript ]] || { cat "$WORK/as-alice.transcript"; fail "alice's application was prompted"; }
echo PASS
