# The daemon serves exactly the API written in dbus/io.recoveryd.Recovery1.xml:
# same interfaces, methods and argument signatures.
source "$(dirname "$0")/lib.sh"

# Prints "interface.method(in)->(out)" lines for our interfaces.
methods_of() {
    python3 -c '
import sys, xml.etree.ElementTree as ET
for iface in ET.parse(sys.stdin).getroot().iter("interface"):
    if not iface.get("name").startswith("io.recoveryd."):
        continue
    for m in iface.iter("method"):
        args = lambda d: "".join(a.get("type") for a in m.iter("arg") if a.get("direction", "in") == d)
        print("%s.%s(%s)->(%s)" % (iface.get("name"), m.get("name"), args("in"), args("out")))
' | sort
}

introspect() {
    in_sandbox busctl --system --xml-interface introspect io.recoveryd.Recovery1 "$1"
}

sandbox up
methods_of < "$source_dir/dbus/io.recoveryd.Recovery1.xml" > "$WORK/expected"
coproc HOLD { in_sandbox "$build_dir/tests/tools/flow-peer" hold 1; }
read -r flow_path <&"${HOLD[0]}"
{ introspect /io/recoveryd/Recovery1 | methods_of; introspect "$flow_path" | methods_of; } | sort > "$WORK/served"
[[ -z ${HOLD_PID:-} ]] || kill "$HOLD_PID" 2>/dev/null || true  # down ends it anyway
diff -u "$WORK/expected" "$WORK/served" || fail "the served API differs from dbus/io.recoveryd.Recovery1.xml"
[[ -s $WORK/expected ]] || fail "no methods found in the XML"
echo PASS
