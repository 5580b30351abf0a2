#!/bin/bash
# logs.sh: the speed of `ingress-doctor logs` on a seeded, mixed ingress-nginx
# log (bench/logs_gen.c), against what people would otherwise run, measured
# in the same run on the same warm file:
#
#   wc -l                  the ceiling (reads every byte, does nothing)
#   ingress-doctor logs    the whole analysis, -o json to /dev/null
#   mawk / gawk            only the per-upstream 502 counts, awk -F'"'
#   goaccess               its own report of the same file (on a slice, scaled)
#
#   bench/logs.sh BIN
#
# Environment: LOGS_BYTES (2000000000), LOGS_SEED (1), LOGS_RUNS (3),
# LOGS_DIR (bench/out), GOACCESS_BYTES (200000000), CC (cc).
# Prints one line per tool: best wall time of LOGS_RUNS, MB/s, peak RSS, and
# the ratio to ingress-doctor; then the targets of issue 4 with PASS/FAIL.
# A benchmark, not a test: exit 0 whatever the figures, 1 if a tool crashed.
set -u

[ $# -eq 1 ] || { echo "usage: bench/logs.sh BIN" >&2; exit 2; }
BIN=$(realpath -e "$1" 2>/dev/null) || { echo "logs.sh: no such binary: $1" >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 2

BYTES=${LOGS_BYTES:-2000000000}
SEED=${LOGS_SEED:-1}
RUNS=${LOGS_RUNS:-3}
DIR=${LOGS_DIR:-bench/out}
GA_BYTES=${GOACCESS_BYTES:-200000000}
CC=${CC:-cc}
mkdir -p "$DIR/bin" || exit 2
"$CC" -std=c17 -D_GNU_SOURCE -O2 -o "$DIR/bin/logs_gen" bench/logs_gen.c || exit 1
"$CC" -std=c17 -D_GNU_SOURCE -O2 -o "$DIR/bin/rusage" bench/rusage.c || exit 1

LOG=$DIR/logs-seed$SEED-$BYTES.log
if [ ! -s "$LOG" ] || [ bench/logs_gen.c -nt "$LOG" ]; then
	echo "generating $LOG ($BYTES bytes, seed $SEED)" >&2
	"$DIR/bin/logs_gen" "$BYTES" "$SEED" >"$LOG" || exit 1
fi
size=$(stat -c %s "$LOG")
cat "$LOG" >/dev/null   # warm the page cache

AWK_PROG='substr($3, 2, 3) == "502" { n = split($7, f, " "); c[f[3]]++ } END { for (k in c) print k, c[k] }'
crashed=0
declare -A best rss

# timed NAME FILE CMD...: best wall time and the largest peak RSS over RUNS runs
timed() {
	local name=$1 file=$2 r line t m st
	shift 2
	best[$name]=
	rss[$name]=0
	for ((r = 0; r < RUNS; r++)); do
		"$DIR/bin/rusage" "$DIR/rusage.out" "$@" <"$file" >/dev/null 2>"$DIR/$name.err"
		read -r t m st <"$DIR/rusage.out"
		case "$st" in 0 | 1) ;; *) echo "$name: exit status $st" >&2; crashed=1 ;; esac
		if [ -z "${best[$name]}" ] || awk "BEGIN { exit !($t < ${best[$name]}) }"; then
			best[$name]=$t
		fi
		[ "$m" -gt "${rss[$name]}" ] && rss[$name]=$m
	done
}

timed wc "$LOG" wc -l
timed ingress-doctor /dev/null "$BIN" logs "$LOG" -o json
have() { command -v "$1" >/dev/null 2>&1; }
have mawk && timed mawk "$LOG" mawk -F'"' "$AWK_PROG"
have gawk && timed gawk "$LOG" gawk -F'"' "$AWK_PROG"
if have goaccess; then
	head -c "$GA_BYTES" "$LOG" >"$DIR/goaccess-slice.log"
	ga_size=$(stat -c %s "$DIR/goaccess-slice.log")
	timed goaccess "$DIR/goaccess-slice.log" goaccess - --log-format=COMBINED \
		-o "$DIR/goaccess.json" --no-progress
fi

mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / t / 1e6 }'; }
ours=${best[ingress-doctor]}
printf '%-22s %9s %9s %10s %8s\n' tool seconds MB/s "peak RSS" "vs ours"
for name in wc ingress-doctor mawk gawk goaccess; do
	[ -n "${best[$name]:-}" ] || continue
	bytes=$size
	[ "$name" = goaccess ] && bytes=$ga_size
	speed=$(mbps "$bytes" "${best[$name]}")
	ratio=$(awk -v a="$(mbps "$size" "$ours")" -v b="$speed" 'BEGIN { printf "%.1fx", a / b }')
	printf '%-22s %9s %9s %8s KB %8s\n' "$name" "${best[$name]}" "$speed" "${rss[$name]}" "$ratio"
done

ours_mbps=$(mbps "$size" "$ours")
verdict() { if awk "BEGIN { exit !($2) }"; then echo "PASS  $1"; else echo "FAIL  $1"; fi; }
echo
verdict "logs >= 1500 MB/s ($ours_mbps)" "$ours_mbps >= 1500"
[ -n "${best[mawk]:-}" ] && verdict "faster than mawk" "$ours_mbps > $(mbps "$size" "${best[mawk]}")"
[ -n "${best[gawk]:-}" ] && verdict ">= 10x gawk" "$ours_mbps >= 10 * $(mbps "$size" "${best[gawk]}")"
[ -n "${best[goaccess]:-}" ] &&
	verdict ">= 50x goaccess" "$ours_mbps >= 50 * $(mbps "$ga_size" "${best[goaccess]}")"
verdict "memory flat (peak RSS < 64 MB on a $size-byte file)" "${rss[ingress-doctor]} < 65536"
exit $crashed
