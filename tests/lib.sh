# Shared helpers for the shell tests: a private scratch directory removed on
# exit, assertions that print what differed, and the count line ctest shows.
set -euo pipefail

: "${LIFEBOAT:?LIFEBOAT must name the lifeboat binary under test}"
TEST_NAME=$(basename "$0" .sh)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-$TEST_NAME.XXXXXX")
CLEANUP_CMDS=()
PASSED=0
FAILED=0

cleanup() {
	local i
	for ((i = ${#CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do eval "${CLEANUP_CMDS[$i]}" || true; done
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

# on_exit CMD: run CMD (eval'd) when the test ends, last registered first.
on_exit() { CLEANUP_CMDS+=("$1"); }

pass() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $*" >&2; }

# check DESCRIPTION CMD...: passes when CMD succeeds.
check() {
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_fail DESCRIPTION EXIT-CODE MESSAGE-REGEX CMD...: CMD must exit with
# EXIT-CODE and print exactly one line on stderr matching MESSAGE-REGEX.
expect_fail() {
	local what=$1 want_rc=$2 want_msg=$3; shift 3
	local rc=0
	"$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
	local err; err=$(grep -v '^lifeboat: warning:' "$SCRATCH/err" || true)
	if [ "$rc" != "$want_rc" ]; then
		fail "$what: exit $rc, expected $want_rc (stderr: $err)"
	elif ! grep -Eq -- "$want_msg" <<<"$err"; then
		fail "$what: message [$err] does not match [$want_msg]"
	elif [ "$(wc -l <<<"$err")" -ne 1 ]; then
		fail "$what: expected one line of error, got: $err"
	else
		pass "$what"
	fi
}

# finish: prints the summary line and exits non-zero if anything failed.
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# need CMD...: skip the test (exit 77) when a tool is missing.
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { echo "skip: $c not installed"; exit 77; }
	done
}
