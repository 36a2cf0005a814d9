# The daemon serves exactly the API written in dbus/io.recoveryd.Recovery1.xml:
# same interfaces, methods and argument signatures, and the same signals
# with the same arguments (types and names, in order).
source "$(dirname "$0")/lib.sh"

# Prints "interface.method(in)->(out)" and "signal interface.Name(type name, ...)"
# lines for our interfaces.
api_of() {
    python3 -c '
import sys, xml.etree.ElementTree as ET
for iface in ET.parse(sys.stdin).getroot().iter("interface"):
    if not iface.get("name").startswith("io.recoveryd."):
        continue
    for m in iface.iter("method"):
        args = lambda d: "".join(a.get("type") for a in m.iter("arg") if a.get("direction", "in") == d)
        print("%s.%s(%s)->(%s)" % (iface.get("name"), m.get("name"), args("in"), args("out")))
    for s in iface.iter("signal"):
        args = ", ".join("%s %s" % (a.get("type"), a.get("name")) for a in s.iter("arg"))
        print("signal %s.%s(%s)" % (iface.get("name"), s.get("name"), args))
' | sort
}

introspect() {
    in_sandbox busctl --system --xml-interface introspect io.recoveryd.Recovery1 "$1"
}

sandbox up
api_of < "$source_dir/dbus/io.recoveryd.Recovery1.xml" > "$WORK/expected"
coproc HOLD { in_sandbox "$build_dir/tests/tools/flow-peer" hold 1; }
read -r flow_path <&"${HOLD[0]}"
{ introspect /io/recoveryd/Recovery1 | api_of; introspect "$flow_path" | api_of; } | sort > "$WORK/served"
[[ -z ${HOLD_PID:-} ]] || kill "$HOLD_PID" 2>/dev/null || true  # down ends it anyway
diff -u "$WORK/expected" "$WORK/served" || fail "the served API differs from dbus/io.recoveryd.Recovery1.xml"
grep -q '^io\.' "$WORK/expected" || fail "no methods found in the XML"
grep -qF 'signal io.recoveryd.Recovery1.Manager.RequestFiled(s id, s user)' "$WORK/expected" ||
    fail "RequestFiled(s id, s user) not found in the XML"
echo PASS
