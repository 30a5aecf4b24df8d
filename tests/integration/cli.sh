# The command line contract: help, version, usage errors, and a static rescue
# app that runs in an empty chroot with no /lib.
. "$TESTLIB"

out=$("$LIFEBOAT" --help)
check "--help lists commands" grep -q '^Commands:' <<<"$out"
check "--version prints the version" grep -Eq '^lifeboat [0-9]+\.[0-9]+\.[0-9]+$' <<<"$("$LIFEBOAT" --version)"
check "help help shows usage" grep -q '^Usage: lifeboat help' <<<"$("$LIFEBOAT" help help)"

expect_fail "unknown command exits 2" 2 "no such command 'frobnicate'" "$LIFEBOAT" frobnicate
rc=0; "$LIFEBOAT" >/dev/null 2>&1 || rc=$?
check_eq "no arguments is a usage error" 2 "$rc"
rc=0; "$LIFEBOAT" help nosuch >/dev/null 2>&1 || rc=$?
check_eq "help of an unknown command exits 2" 2 "$rc"

check "release app is statically linked" grep -q 'statically linked' <<<"$(file -L "$LIFEBOAT_STATIC")"
mkdir -p "$SCRATCH/root"
cp "$LIFEBOAT_STATIC" "$SCRATCH/root/lifeboat"
check "static app runs in an empty chroot" grep -q '^lifeboat ' <<<"$(chroot "$SCRATCH/root" /lifeboat --version)"

finish
