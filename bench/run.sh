#!/bin/bash
# run.sh: the benchmarks of bench/README.md, in one run on this machine.
#
#   bench/run.sh BIN          (make bench runs it with build/ingress-doctor)
#
# Builds the generator, the rusage wrapper and the JSON reader benchmark
# into bench/out/bin, writes the snapshots into bench/out/ (reused when the
# same generator, seed and size made them), warms the page cache, then
# times each command RUNS times and keeps the best wall time and the
# largest peak RSS. Prints a table with PASS/FAIL against the targets and
# saves it as bench/out/results.txt.
#
# Environment: BENCH_SEED (1), BENCH_PODS (generator default, ~1 GB),
# BENCH_RUNS (3), BENCH_JQ_RUNS (BENCH_RUNS), CC (cc).
#
# Benchmarks are not tests: exit 0 whatever the figures, 1 only if a
# command crashed or failed (ingress-doctor may exit 0 or 1: findings).
set -u

if [ $# -ne 1 ]; then
	echo "usage: bench/run.sh BIN" >&2
	exit 2
fi
BIN=$(realpath -e "$1" 2>/dev/null) || { echo "run.sh: no such binary: $1" >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 2

OUT=bench/out
SEED=${BENCH_SEED:-1}
PODS=${BENCH_PODS:-}
RUNS=${BENCH_RUNS:-3}
JQ_RUNS=${BENCH_JQ_RUNS:-$RUNS}
CC=${CC:-cc}
CFLAGS_BENCH=(-std=c17 -D_GNU_SOURCE -O2)
crashed=0

mkdir -p "$OUT/bin" || exit 2

# ---- build ----
echo "building generator and helpers ($CC -O2)" >&2
"$CC" "${CFLAGS_BENCH[@]}" -o "$OUT/bin/gen_snapshot" bench/gen_*.c || exit 1
"$CC" "${CFLAGS_BENCH[@]}" -o "$OUT/bin/rusage" bench/rusage.c || exit 1
reader_ok=1
if ! "$CC" "${CFLAGS_BENCH[@]}" -o "$OUT/bin/json_reader_bench" bench/json_reader_bench.c \
	src/util/*.c src/json/*.c; then
	echo "run.sh: json_reader_bench did not build; skipping the reader benchmark" >&2
	reader_ok=0
fi
RUSAGE=$OUT/bin/rusage

# ---- snapshots (reused if the same generator made them with the same options) ----
gen_sum=$(cat bench/gen.h bench/gen_*.c | md5sum | cut -c1-12)

# generate FILE ARGS...: run the generator unless FILE.stamp matches
generate() {
	local file=$1; shift
	local stamp="$gen_sum $*"
	if [ -f "$file" ] && [ -f "$file.stamp" ] && [ "$(cat "$file.stamp")" = "$stamp" ]; then
		echo "reusing $file" >&2
		return 0
	fi
	echo "generating $file ($*)" >&2
	rm -f "$file.stamp"
	local t0 t1
	t0=$(date +%s.%N)
	"$OUT/bin/gen_snapshot" "$@" -o "$file" || { echo "run.sh: generator failed" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$stamp" > "$file.stamp"
	awk -v a="$t0" -v b="$t1" -v s="$(stat -c %s "$file")" \
		'BEGIN { printf "  %.0f MB in %.1f s\n", s / 1e6, b - a }' >&2
}

big_args=(--seed "$SEED")
[ -n "$PODS" ] && big_args+=(--pods "$PODS")
BIG=$OUT/snapshot-seed$SEED-pods${PODS:-default}.json
PODLIST=$OUT/pods-seed$SEED.json
generate "$BIG" "${big_args[@]}"
generate "$PODLIST" --seed "$SEED" --only pods
big_size=$(stat -c %s "$BIG")
pod_size=$(stat -c %s "$PODLIST")

# ---- measuring ----
# measure NAME OKCODES RUNS CMD...: best wall time and max peak RSS over RUNS
# runs, stdout to /dev/null; sets M_WALL M_RSS (KiB) M_STATUS ("ok" or why not).
measure() {
	local name=$1 okcodes=$2 runs=$3; shift 3
	local i wall rss code want_json=${WANT_JSON:-}
	M_WALL=""; M_RSS=0; M_STATUS=ok
	[ "$runs" -gt 0 ] || { M_STATUS="skipped (0 runs)"; return; }
	for ((i = 0; i < runs; i++)); do
		# the first run's output is kept to check that it is a JSON document
		"$RUSAGE" "$OUT/rusage.txt" "$@" > "$([ "$i" = 0 ] && [ -n "$want_json" ] \
			&& echo "$OUT/first.out" || echo /dev/null)" 2> "$OUT/stderr.txt"
		read -r wall rss code < "$OUT/rusage.txt"
		if ! [[ " $okcodes " == *" $code "* ]]; then
			M_STATUS="exit $code"
			[ "$code" -gt 128 ] && M_STATUS="crashed (signal $((code - 128)))"
			echo "run.sh: $name: $M_STATUS" >&2
			head -n 5 "$OUT/stderr.txt" | sed 's/^/  /' >&2
			crashed=1
			return
		fi
		if [ "$i" = 0 ] && [ -n "$want_json" ] && [ "$(head -c 1 "$OUT/first.out")" != "{" ]; then
			M_STATUS="no JSON document on stdout (exit $code)"
			echo "run.sh: $name: $M_STATUS" >&2
			crashed=1
			return
		fi
		if [ -z "$M_WALL" ] || awk -v a="$wall" -v b="$M_WALL" 'BEGIN { exit !(a < b) }'; then
			M_WALL=$wall
		fi
		[ "$rss" -gt "$M_RSS" ] && M_RSS=$rss
		echo "  $name: run $((i + 1)): ${wall} s, peak RSS $((rss / 1024)) MiB" >&2
	done
}

load_start=$(cut -d" " -f1-3 /proc/loadavg)
echo "warming the page cache" >&2
cat "$BIG" "$PODLIST" > /dev/null

declare -A WALL RSS STATUS
run_one() {
	local key=$1; shift
	measure "$key" "$@"
	WALL[$key]=$M_WALL RSS[$key]=$M_RSS STATUS[$key]=$M_STATUS
}

run_one cat "0" "$RUNS" cat "$BIG"
WANT_JSON=1 run_one ours "0 1" "$RUNS" "$BIN" diagnose --from "$BIG" -A -o json
if command -v jq > /dev/null; then
	run_one jq "0" "$JQ_RUNS" jq '.items | length' "$BIG"
	run_one jq_pods "0" "$JQ_RUNS" jq '.items | length' "$PODLIST"
else
	STATUS[jq]="jq not installed" STATUS[jq_pods]="jq not installed"
fi
if [ "$reader_ok" = 1 ]; then
	run_one reader "0" "$RUNS" "$OUT/bin/json_reader_bench" "$PODLIST"
else
	STATUS[reader]="not built"
fi
run_one cat_pods "0" "$RUNS" cat "$PODLIST"

# ---- report ----
mbs() {
	awk -v s="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", s / 1e6 / t; else print "inf" }'
}
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

{
	echo "ingress-doctor benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
	cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
	ram=$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)
	echo "machine: $(nproc) cores, $cpu, $ram, $(uname -sr)"
	echo "load average: $load_start before, $(cut -d" " -f1-3 /proc/loadavg) after"
	echo "binary: $BIN ($("$BIN" version 2>/dev/null | head -n 1))"
	npods=$(grep -c '^            "kind": "Pod",$' "$BIG")
	echo "snapshot: $BIG, $(awk -v s="$big_size" 'BEGIN { printf "%.0f MB", s / 1e6 }'), $npods pods"
	echo "pod list: $PODLIST, $(awk -v s="$pod_size" 'BEGIN { printf "%.0f MB", s / 1e6 }')"
	echo "best of $RUNS runs (jq: $JQ_RUNS), warm cache; MB = 10^6 bytes; RSS = peak resident set"
	echo
	printf '%-44s %9s %8s %10s %9s  %s\n' "command" "best s" "MB/s" "peak RSS" "RSS/file" "note"
	row() { # key label size note
		local k=$1 label=$2 size=$3 note=$4
		if [ "${STATUS[$k]:-}" != ok ]; then
			printf '%-44s %s\n' "$label" "${STATUS[$k]:-not run}"
			return
		fi
		printf '%-44s %9s %8s %10s %9s  %s\n' "$label" "${WALL[$k]}" \
			"$(mbs "$size" "${WALL[$k]}")" "$(mib "${RSS[$k]}")" \
			"$(ratio "$((RSS[$k] * 1024))" "$size")" "$note"
	}
	row ours "ingress-doctor diagnose --from big -A -o json" "$big_size" ""
	row jq "jq '.items | length' big" "$big_size" "reference"
	row cat "cat big > /dev/null" "$big_size" "ceiling"
	row reader "json_reader_bench pods" "$pod_size" "JSON reader alone"
	row jq_pods "jq '.items | length' pods" "$pod_size" "reference"
	row cat_pods "cat pods > /dev/null" "$pod_size" "ceiling"
	echo
	printf '%-52s %-16s %s\n' "target" "measured" "result"
	verdict() { # label measured pass(0/1)
		printf '%-52s %-16s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo PASS || echo FAIL)"
	}
	if [ "${STATUS[ours]}" = ok ]; then
		v=$(mbs "$big_size" "${WALL[ours]}")
		verdict "diagnose >= 500 MB/s" "$v MB/s" "$(awk -v v="$v" 'BEGIN { print (v >= 500) }')"
		r=$(ratio "$((RSS[ours] * 1024))" "$big_size")
		verdict "diagnose peak RSS <= file size" "$r x file" "$(awk -v v="$r" 'BEGIN { print (v <= 1) }')"
		if [ "${STATUS[jq]:-}" = ok ]; then
			r=$(ratio "${WALL[jq]}" "${WALL[ours]}")
			verdict "diagnose >= 15x faster than jq" "${r}x" "$(awk -v v="$r" 'BEGIN { print (v >= 15) }')"
		else
			printf '%-52s %-16s %s\n' "diagnose >= 15x faster than jq" "-" "n/a (${STATUS[jq]:-})"
		fi
		if [ "${STATUS[cat]}" = ok ]; then
			printf '%-52s %-16s %s\n' "diagnose speed as a share of cat (ceiling)" \
				"$(ratio "${WALL[cat]}" "${WALL[ours]}")x" "info"
		fi
	else
		printf '%-52s %-16s %s\n' "diagnose targets" "-" "FAIL (${STATUS[ours]})"
	fi
	if [ "${STATUS[reader]}" = ok ]; then
		v=$(mbs "$pod_size" "${WALL[reader]}")
		verdict "JSON reader alone >= 500 MB/s" "$v MB/s" "$(awk -v v="$v" 'BEGIN { print (v >= 500) }')"
		if [ "${STATUS[jq_pods]:-}" = ok ]; then
			printf '%-52s %-16s %s\n' "JSON reader vs jq on the pod list" \
				"$(ratio "${WALL[jq_pods]}" "${WALL[reader]}")x" "info"
		fi
	else
		printf '%-52s %-16s %s\n' "JSON reader alone >= 500 MB/s" "-" "FAIL (${STATUS[reader]})"
	fi
} | tee "$OUT/results.txt"

rm -f "$OUT/rusage.txt" "$OUT/stderr.txt" "$OUT/first.out"
exit $crashed
