#!/bin/bash
# run-scenarios.sh: run every scenario folder under tests/scenarios/ against a
# built ingress-doctor and compare its findings with the folder's `expected`.
#
#   tests/run-scenarios.sh BIN [NAME...]
#
# Format of a folder: tests/scenarios/README.md. For each folder holding an
# `expected` file:
#   1. `BIN diagnose --from <dir>/snapshot -o json [args] [--logs F...]` (or
#      `--from -` fed from the file `stdin`; every file of an optional `logs/`
#      folder is passed with --logs); the findings become lines
#      `<severity> <id> <Kind> <ns-or-dash>/<name>` (jq) and must equal, as a
#      set, the finding lines of `expected`; `path` lines are checked against
#      the JSON `ingresses` array; the exit status must be the expected one.
#   2. The same in text mode: same exit status.
#   Both runs may print on stderr only `warning:` lines; an optional `stderr`
#   file lists substrings (one per line) that stderr must contain.
# Prints `ok - NAME` / `not ok - NAME` with the differences, and a last line
# `N passed, N failed`. Exits 1 when a scenario failed, 2 on bad usage.
set -u

usage() {
	echo "usage: $0 BIN [SCENARIO...]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
bin=$1
shift
case "$bin" in
/*) ;;
*) bin="$PWD/$bin" ;;
esac
[ -x "$bin" ] || { echo "$0: $bin: not an executable" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || {
	echo "$0: jq is required (Debian package jq; ./scripts/setup.sh --test installs it)" >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root="$here/scenarios"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/id-scenarios.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The finding lines of an `expected` file, normalised and sorted.
expected_findings() {
	sed -e 's/#.*//' -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' "$1" |
		grep -E '^(error|warning|info) ' | LC_ALL=C sort -u
}

expected_paths() {
	sed -e 's/#.*//' -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' "$1" |
		grep -E '^path ' | LC_ALL=C sort -u
}

expected_exit() {
	local e
	e=$(sed -e 's/#.*//' "$1" | awk '$1 == "exit" { print $2 }' | tail -n 1)
	if [ -n "$e" ]; then
		echo "$e"
	elif expected_findings "$1" | grep -q '^error '; then
		echo 1
	else
		echo 0
	fi
}

jq_findings='.findings[] | "\(.severity) \(.id) \(.kind) \(if (.namespace // "") == "" then "-" else .namespace end)/\(.name)"'
jq_paths='.ingresses[]? as $i | $i.paths[]? |
	"path \($i.namespace)/\($i.name) \(if (.host // "") == "" then "*" else .host end)\(
	if (.defaultBackend // .default_backend // false) or (.path // "") == "" then "(default)" else .path end
	) \(.status)"'

# check_stderr FILE SCENARIO_DIR LABEL: only warning lines, and the expected substrings.
check_stderr() {
	local file=$1 dir=$2 label=$3 bad rc=0 want
	bad=$(grep -v -E '^(ingress-doctor: )?warning: ' "$file")
	if [ -n "$bad" ]; then
		echo "#   $label: unexpected stderr:"
		printf '%s\n' "$bad" | head -n 20 | sed 's/^/#     /'
		rc=1
	fi
	if [ -f "$dir/stderr" ]; then
		while IFS= read -r want || [ -n "$want" ]; do
			case "$want" in '' | '#'*) continue ;; esac
			if ! grep -q -F -- "$want" "$file"; then
				echo "#   $label: stderr lacks: $want"
				rc=1
			fi
		done <"$dir/stderr"
	fi
	return $rc
}

# run_bin DIR OUT ERR ARGS...: run diagnose on the scenario's input; echoes the status.
run_bin() {
	local dir=$1 out=$2 errf=$3
	shift 3
	local extra=()
	if [ -f "$dir/args" ]; then
		# one line of extra arguments, split on blanks
		read -r -a extra <"$dir/args" || true
	fi
	# controller logs beside the snapshot: every file of logs/, in name order
	if [ -d "$dir/logs" ]; then
		local lf
		for lf in "$dir"/logs/*; do
			[ -f "$lf" ] && extra+=(--logs "$lf")
		done
	fi
	if [ -f "$dir/stdin" ]; then
		"$bin" diagnose --from - "$@" "${extra[@]}" <"$dir/stdin" >"$out" 2>"$errf"
	else
		"$bin" diagnose --from "$dir/snapshot" "$@" "${extra[@]}" </dev/null >"$out" 2>"$errf"
	fi
	echo $?
}

passed=0
failed=0

if [ $# -gt 0 ]; then
	dirs=()
	for n in "$@"; do dirs+=("$root/${n%/}/"); done
else
	dirs=("$root"/*/)
fi

for dir in "${dirs[@]}"; do
	dir=${dir%/}
	name=$(basename "$dir")
	[ -f "$dir/expected" ] || continue
	log="$tmp/$name.log"
	: >"$log"
	ok=1

	if [ ! -e "$dir/snapshot" ] && [ ! -f "$dir/stdin" ]; then
		echo "#   no snapshot/ and no stdin file" >>"$log"
		ok=0
	else
		# 1. JSON
		rc=$(run_bin "$dir" "$tmp/out.json" "$tmp/err.json" -o json)
		want_rc=$(expected_exit "$dir/expected")
		if [ "$rc" != "$want_rc" ]; then
			echo "#   json: exit status $rc, expected $want_rc" >>"$log"
			ok=0
		fi
		if [ "$rc" -ge 2 ] 2>/dev/null; then
			sed 's/^/#     stderr: /' "$tmp/err.json" | head -n 20 >>"$log"
		fi
		check_stderr "$tmp/err.json" "$dir" json >>"$log" || ok=0
		expected_findings "$dir/expected" >"$tmp/want"
		if ! jq -r "$jq_findings" "$tmp/out.json" >"$tmp/got.raw" 2>"$tmp/jq.err"; then
			if [ "$rc" -lt 2 ] 2>/dev/null || [ -s "$tmp/want" ]; then
				echo "#   json: output is not the expected JSON: $(head -c 200 "$tmp/jq.err")" >>"$log"
				ok=0
			fi
			: >"$tmp/got.raw"
		fi
		LC_ALL=C sort -u "$tmp/got.raw" >"$tmp/got"
		if ! cmp -s "$tmp/want" "$tmp/got"; then
			LC_ALL=C comm -23 "$tmp/want" "$tmp/got" | sed 's/^/#   missing:    /' >>"$log"
			LC_ALL=C comm -13 "$tmp/want" "$tmp/got" | sed 's/^/#   unexpected: /' >>"$log"
			ok=0
		fi
		expected_paths "$dir/expected" >"$tmp/wantp"
		if [ -s "$tmp/wantp" ]; then
			jq -r "$jq_paths" "$tmp/out.json" 2>/dev/null | LC_ALL=C sort -u >"$tmp/gotp"
			missing=$(LC_ALL=C comm -23 "$tmp/wantp" "$tmp/gotp")
			if [ -n "$missing" ]; then
				printf '%s\n' "$missing" | sed 's/^/#   path not found: /' >>"$log"
				# show what the chains of those Ingresses are
				for ing in $(printf '%s\n' "$missing" | awk '{print $2}' | sort -u); do
					grep -F " $ing " "$tmp/gotp" | sed 's/^/#   path got:   /' >>"$log"
				done
				ok=0
			fi
		fi

		# 2. text
		rc_text=$(run_bin "$dir" "$tmp/out.txt" "$tmp/err.txt")
		if [ "$rc_text" != "$rc" ]; then
			echo "#   text: exit status $rc_text, json gave $rc" >>"$log"
			ok=0
		fi
		check_stderr "$tmp/err.txt" "$dir" text >>"$log" || ok=0
	fi

	if [ "$ok" = 1 ]; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		cat "$log"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
