#!/bin/bash
# lint.sh: source rules the compiler does not enforce.
#
#   tests/lint.sh            (from anywhere; works on the repository it lives in)
#
# 1. No banned function (util/banned.h) is called in src/: comments and
#    string literals are stripped first, then `name (` is searched with
#    word boundaries. src/util/banned.h itself is exempt.
# 2. Every .c/.h under src/ starts with a comment saying what it does.
# 3. The check ids of the catalogue (../shared/spec/checks.md) and of
#    docs/checks.md are the same set, with the same severities. Skipped with
#    a message when ../shared is absent.
# Exit 1 when a rule is broken.
set -u

cd "$(dirname "$0")/.."
fail=0
banned='strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|gets|atoi|gmtime|localtime'

# 1. banned functions
while IFS= read -r -d '' f; do
	[ "$f" = src/util/banned.h ] && continue
	# Strip comments and string/char literals, keeping line numbers.
	hits=$(perl -0777 -pe '
		s{(/\*.*?\*/)|(//[^\n]*)|("(?:\\.|[^"\\\n])*")|(\x27(?:\\.|[^\x27\\\n])*\x27)}{
			my $m = defined $1 ? $1 : defined $2 ? $2 : defined $3 ? $3 : $4;
			(defined $3 || defined $4) ? "\"\"" : ($m =~ tr/\n//c, $m =~ s/[^\n]//gr)
		}gse' "$f" | grep -n -E "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(")
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|^|lint: $f:|; s|\$|  <- banned function|"
		fail=1
	fi
done < <(find src -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)

# 2. top comment
while IFS= read -r -d '' f; do
	first=$(grep -m 1 -v -E '^[[:space:]]*$' "$f")
	case "$first" in
	'/*'* | '//'*) ;;
	*)
		echo "lint: $f: does not start with a comment saying what it does"
		fail=1
		;;
	esac
done < <(find src -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)

# 3. catalogue ids in step with docs/checks.md
spec=../shared/spec/checks.md
if [ ! -f "$spec" ]; then
	echo "lint: $spec not found: catalogue/docs comparison skipped"
elif [ ! -f docs/checks.md ]; then
	echo "lint: docs/checks.md is missing"
	fail=1
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/id-lint.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# "| id | severity | fires when |" rows of the catalogue
	awk -F'|' 'NF >= 4 {
		id = $2; sev = $3; gsub(/[ `]/, "", id); gsub(/[ `]/, "", sev)
		if (id ~ /^[a-z][a-z0-9-]*$/ && sev ~ /^(error|warning|info)$/) print id, sev
	}' "$spec" | LC_ALL=C sort -u >"$tmp/spec"
	# "### id" headings, each followed by a "**Severity:** sev" line
	awk '/^### / { id = $2; gsub(/`/, "", id); next }
	     /^\*\*Severity:\*\*/ && id != "" { sev = $2; gsub(/[`*.]/, "", sev); print id, sev; id = "" }' \
		docs/checks.md | LC_ALL=C sort -u >"$tmp/docs"
	if [ ! -s "$tmp/spec" ]; then
		echo "lint: no check ids found in $spec"
		fail=1
	fi
	if ! cmp -s "$tmp/spec" "$tmp/docs"; then
		LC_ALL=C comm -23 "$tmp/spec" "$tmp/docs" | sed 's/^/lint: docs\/checks.md lacks (or has another severity for): /'
		LC_ALL=C comm -13 "$tmp/spec" "$tmp/docs" | sed 's/^/lint: docs\/checks.md has an id\/severity not in the catalogue: /'
		fail=1
	fi
fi

if [ "$fail" = 0 ]; then
	echo "lint: ok"
fi
exit $fail
