#!/bin/bash
# run-unit.sh: run cmocka unit test binaries, show their output, add up the results.
#
#   tests/run-unit.sh BIN...
#
# Each binary prints cmocka's (once per test group) "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)" lines; those are summed. A binary that exits
# non-zero without reporting a failure (a crash, a sanitizer report) counts
# as one failed test. Last line: `N passed, N failed`; exit 1 on any failure.
set -u

[ $# -ge 1 ] || { echo "usage: $0 TEST-BINARY..." >&2; exit 2; }

passed=0
failed=0
tmp=$(mktemp "${TMPDIR:-/tmp}/id-unit.XXXXXX")
trap 'rm -f "$tmp"' EXIT

for t in "$@"; do
	echo "# $t"
	if [ ! -x "$t" ]; then
		echo "not ok - $t: not an executable"
		failed=$((failed + 1))
		continue
	fi
	"$t" >"$tmp" 2>&1
	rc=$?
	cat "$tmp"
	# a binary may run several groups: add up every group's summary
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]\{1,\}\) test.*/\1/p' "$tmp" | awk '{ s += $1 } END { print s + 0 }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]\{1,\}\) test.*/\1/p' "$tmp" | awk '{ s += $1 } END { print s + 0 }')
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $t exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
