#!/bin/sh
# run-badinput.sh BIN: feed malformed, truncated, mistyped, binary and huge
# inputs to `BIN diagnose --from ...` and check it fails cleanly: the
# expected exit status (2 for unreadable input; 0/1/2 for recoverable
# cases), a message naming the file (and a position where there is one),
# never a crash (status >= 128), a sanitizer report or a hang (60 s).
#
# Prints one line per case, "ok - ..." or "not ok - ...", then
# "N passed, N failed"; exits non-zero when a case failed.
set -u

BIN=${1:?usage: run-badinput.sh BIN}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
IN=$HERE/badinput
WORK=$(mktemp -d "${TMPDIR:-/tmp}/badinput.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT INT TERM
# a sanitizer build: libfyaml's own leaks on parse errors are not ours
export LSAN_OPTIONS="suppressions=$IN/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() {
	fail=$((fail + 1))
	echo "not ok - $1: $2"
	sed 's/^/#   /' "$WORK/err" | head -n 5
}

# check NAME STATUSES PATTERN [--stdin FILE] PATH
#   STATUSES: allowed exit statuses, e.g. "2" or "0 1 2"
#   PATTERN: extended regexp stderr must match (the file and position)
check() {
	name=$1 statuses=$2 pattern=$3
	shift 3
	if [ "$1" = --stdin ]; then
		timeout 60 "$BIN" diagnose --from - <"$2" >"$WORK/out" 2>"$WORK/err"
	else
		timeout 60 "$BIN" diagnose --from "$1" </dev/null >"$WORK/out" 2>"$WORK/err"
	fi
	st=$?
	if [ $st -eq 124 ]; then
		notok "$name" "timed out after 60 s"
		return
	fi
	if [ $st -ge 128 ]; then
		notok "$name" "crashed (exit status $st)"
		return
	fi
	if grep -Eq 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
		"$WORK/err"; then
		notok "$name" "sanitizer report"
		return
	fi
	allowed=no
	for s in $statuses; do
		[ "$st" -eq "$s" ] && allowed=yes
	done
	if [ $allowed = no ]; then
		notok "$name" "exit status $st, want one of: $statuses"
		return
	fi
	if ! grep -Eq -- "$pattern" "$WORK/err"; then
		notok "$name" "stderr does not match /$pattern/"
		return
	fi
	ok "$name (exit $st)"
}

POS='[0-9]+:[0-9]+'

check "malformed JSON" 2 "malformed\.json:$POS" "$IN/malformed.json"
check "malformed YAML" 2 "malformed\.yaml:$POS" "$IN/malformed.yaml"
check "truncated JSON (cut mid-item)" 2 "truncated\.json:$POS" "$IN/truncated.json"
check "alias bomb YAML" 2 "alias-bomb\.yaml:$POS" "$IN/alias-bomb.yaml"
check "binary junk" 2 "binary\.json.*byte [0-9]+" "$IN/binary.json"
check "malformed JSON on stdin" 2 "-:$POS" --stdin "$IN/malformed.json"
check "wrong field types" "0 1" "wrong-types\.json" "$IN/wrong-types.json"
check "objects without metadata or kind" "0 1 2" "no-metadata\.yaml" "$IN/no-metadata.yaml"
check "directory of unrelated files" "0 1 2" "unrelated" "$IN/unrelated"
check "empty file" "0 1 2" "empty\.json" "$IN/empty.json"
check "missing file" 2 "does-not-exist\.json" "$WORK/does-not-exist.json"

# Huge inputs, made at test time (sparse files: no disk space used).
if truncate -s 2G "$WORK/zeros-2g.json" 2>/dev/null; then
	check "2 GB of zero bytes" 2 "zeros-2g\.json.*byte 0" "$WORK/zeros-2g.json"
	rm -f "$WORK/zeros-2g.json"
else
	notok "2 GB of zero bytes" "cannot create a sparse 2 GB file in ${TMPDIR:-/tmp}"
fi
# more than the first 4 KiB are valid, so the streaming parser meets the junk
{
	printf '{"apiVersion": "v1", "kind": "List", "items": [\n'
	i=0
	while [ $i -lt 100 ]; do
		printf '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p%d"}},\n' $i
		i=$((i + 1))
	done
} >"$WORK/prefix-2g.json"
if truncate -s 2G "$WORK/prefix-2g.json" 2>/dev/null; then
	check "2 GB: valid JSON prefix then junk" 2 "prefix-2g\.json(:$POS|.*byte [0-9]+)" \
		"$WORK/prefix-2g.json"
	rm -f "$WORK/prefix-2g.json"
else
	notok "2 GB: valid JSON prefix then junk" "cannot create a sparse 2 GB file"
fi
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n' >"$WORK/big-2g.yaml"
if truncate -s 2G "$WORK/big-2g.yaml" 2>/dev/null; then
	check "2 GB YAML" 2 "big-2g\.yaml" "$WORK/big-2g.yaml"
	rm -f "$WORK/big-2g.yaml"
else
	notok "2 GB YAML" "cannot create a sparse 2 GB file"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
