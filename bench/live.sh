#!/bin/bash
# live.sh: ingress-doctor's live diagnosis against kubectl, in one run, on
# the generated snapshot served like an API server (bench/README.md, "Live").
#
#   bench/live.sh BIN [BIN2]                    (10,000 pods: a quick run)
#   BENCH_PODS=100000 bench/live.sh BIN         the issue's size (2.8 GB snapshot)
#
# BIN2, when given, is a second ingress-doctor build measured in the same
# run (before/after a change); the one-Ingress figures are BIN's.
#
# Serving must not be the bottleneck: bench/live_pages pre-serialises every
# all-namespace LIST page both clients ask for (limit=500, continue tokens)
# and Debian's nginx (TLS + HTTP/2 on loopback, bench/live_nginx.conf.in)
# serves them as static files; discovery, /version, selector lists and GETs
# go to tests/apiserver/server.py, which holds only the cluster-scoped
# objects and the namespaces of the one-Ingress diagnosis.
#
# Measures, warm (one unmeasured run of each first: page cache, kubectl's
# discovery cache), alternating, BENCH_RUNS times each:
#   ingress-doctor diagnose -A -o json > /dev/null
#   kubectl get ingresses,services,endpointslices,pods,events,nodes -A -o json > /dev/null
# (the issue says ingress,svc: the same requests, but tests/apiserver/server.py
# publishes no shortNames in its discovery, so kubectl cannot resolve "svc")
# wall, user+sys CPU and peak RSS (bench/rusage.c --cpu); then the requests
# and bytes of `diagnose NS/NAME` for one Ingress (its -v summary), and
# checks that both clients read every page from the static files (nginx's
# log) and that the one-Ingress diagnosis equals the offline one.
#
# Environment: BENCH_SEED (1), BENCH_PODS (10000), BENCH_RUNS (3),
# KUBECTL (kubectl; the gcloud dispatcher is bypassed for its versioned
# binary), BENCH_KUBECTL_MAX_KB (kubectl's ulimit -v; default: available
# memory less 3 GiB), CC (cc), BENCH_KEEP=1 keeps the temp dir, BENCH_SERVE=1 only
# serves (writes bench/out/live-kubeconfig and waits: for profiling by hand).
# Results: standard output and bench/out/live-results.txt. Exit 0 whatever
# the figures, 1 if a command failed or a check did not hold.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: bench/live.sh BIN [BIN2]" >&2
	exit 2
fi
BINS=()
for b in "$@"; do
	r=$(realpath -e "$b" 2>/dev/null) || { echo "live.sh: no such binary: $b" >&2; exit 2; }
	BINS+=("$r")
done
BIN=${BINS[0]}
BDIR=$(dirname "$BIN")
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
PATH=$PATH:/usr/sbin:/sbin

OUT=bench/out
SEED=${BENCH_SEED:-1}
PODS=${BENCH_PODS:-10000}
RUNS=${BENCH_RUNS:-3}
CC=${CC:-cc}
failed=0

die() { echo "live.sh: $*" >&2; exit 1; }
for tool in nginx python3 openssl jq curl "$CC"; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
KUBECTL_GIVEN=${KUBECTL:-}
KUBECTL=${KUBECTL:-$(command -v kubectl)}
[ -n "$KUBECTL" ] || die "kubectl is not installed (Debian: kubernetes-client)"
# the Google Cloud SDK's kubectl is a dispatcher that runs kubectl.1.NN: measure that one
if [ -z "$KUBECTL_GIVEN" ] && real=$(readlink -f "$KUBECTL") &&
	[[ "$real" == */google-cloud-sdk/bin/kubectl ]]; then
	minor=$("$KUBECTL" version --client -o json 2>/dev/null | jq -r .clientVersion.minor | tr -dc 0-9)
	[ -x "$real.1.$minor" ] && KUBECTL=$real.1.$minor
fi

mkdir -p "$OUT/bin" || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/id-bench-live.XXXXXX")
chmod 755 "$T"	# nginx workers may run as another user
PKI=$T/pki
# shellcheck source=tests/lib/apiserver.sh
. tests/lib/apiserver.sh
[ -n "${BENCH_KEEP:-}" ] && KEEP_TMP=1
trap lib_cleanup EXIT

# ---- build ----
echo "building the generator, live_pages and rusage ($CC -O2)" >&2
CFL=(-std=c17 -D_GNU_SOURCE -O2)
"$CC" "${CFL[@]}" -o "$OUT/bin/gen_snapshot" bench/gen_*.c || exit 1
"$CC" "${CFL[@]}" -o "$OUT/bin/rusage" bench/rusage.c || exit 1
# shellcheck disable=SC2046
"$CC" "${CFL[@]}" -o "$OUT/bin/live_pages" bench/live_pages.c "$BDIR/libid.a" \
	$(pkg-config --libs libfyaml zlib libcurl) -lm || exit 1
RUSAGE=$OUT/bin/rusage

# ---- snapshot (reused when the same generator made it with the same options) ----
gen_sum=$(cat bench/gen.h bench/gen_*.c | md5sum | cut -c1-12)
SNAP=$OUT/snapshot-seed$SEED-pods$PODS.json
if [ -f "$SNAP" ] && [ "$(cat "$SNAP.stamp" 2>/dev/null)" = "$gen_sum --seed $SEED --pods $PODS" ]; then
	echo "reusing $SNAP" >&2
else
	echo "generating $SNAP" >&2
	rm -f "$SNAP.stamp"
	"$OUT/bin/gen_snapshot" --seed "$SEED" --pods "$PODS" -o "$SNAP" || die "generator failed"
	echo "$gen_sum --seed $SEED --pods $PODS" > "$SNAP.stamp"
fi

# ---- the Ingress of the one-Ingress diagnosis: the first one offline reports ----
echo "offline diagnosis (picks the Ingress for diagnose NS/NAME)" >&2
"$BIN" diagnose --from "$SNAP" -A -o json > "$T/offline.json" 2>/dev/null
ING=$(jq -r '[.ingresses[] | select(.namespace != "ingress-nginx")][0] | "\(.namespace)/\(.name)"' \
	"$T/offline.json")
ING_NS=${ING%%/*}
[ -n "$ING_NS" ] && [ "$ING" != null/null ] || die "no Ingress in the offline diagnosis"
CTRL_NS=ingress-nginx

# ---- pages (reused when the same snapshot, splitter and namespaces made them) ----
PAGES=$OUT/live-seed$SEED-pods$PODS
pages_stamp="$(cat "$SNAP.stamp") $(md5sum < bench/live_pages.c | cut -c1-12) $ING_NS $CTRL_NS"
if [ -f "$PAGES/manifest.txt" ] && [ "$(cat "$PAGES.stamp" 2>/dev/null)" = "$pages_stamp" ]; then
	echo "reusing $PAGES" >&2
else
	echo "writing the LIST pages into $PAGES" >&2
	rm -rf "$PAGES" "$PAGES.stamp"
	"$OUT/bin/live_pages" --limit 500 --keep-ns "$ING_NS" --keep-ns "$CTRL_NS" -o "$PAGES" \
		"$SNAP" || die "live_pages failed"
	echo "$pages_stamp" > "$PAGES.stamp"
fi

# ---- certificates ----
make_certs || die "openssl: $(tail -3 "$T/openssl.log")"
random_token

# ---- server.py (the small part) and nginx (the pages) ----
apiserver_start "$PAGES/objects.jsonl" || die "server.py did not start: $(tail -3 "$T/server.err")"
nginx_start bench/live_nginx.conf.in "$SRV_PORT" "s|@PAGES@|$ROOT/$PAGES/pages|g" ||
	die "nginx did not start: $(tail -3 "$T/ngx/error.log" "$T/ngx/nginx.err")"
PORT=$NGX_PORT

KC=$T/kubeconfig
kubeconfig_write "$KC" "https://127.0.0.1:$PORT" "    token: $TOKEN"

# kubectl holds every object decoded (~20x the JSON): its address space is capped
# (ulimit -v) so that on a shared machine it fails alone rather than the OOM
# killer picking another process; default: available memory less 3 GiB
avail_kb=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
VMEM_KB=${BENCH_KUBECTL_MAX_KB:-$((avail_kb - 3 * 1048576))}
# shellcheck disable=SC2054 # the commas are kubectl's resource list
THEIRS=(bash -c 'ulimit -v "$0" && exec "$@"' "$VMEM_KB" "$KUBECTL" --kubeconfig "$KC"
	--cache-dir "$T/kcache" get ingresses,services,endpointslices,pods,events,nodes -A -o json)

# static pages and requests one run took (nginx's log since mark): "static proxied bytes"
log_mark() { wc -l < "$T/ngx/access.log"; }
log_since() {
	sleep 0.2   # nginx logs a request after its last byte went out
	# conn= end= dur= PROTOCOL STATUS BYTES up=ADDR "REQUEST"
	tail -n +"$(($1 + 1))" "$T/ngx/access.log" | awk '
		$7 == "up=-" && $5 == 200 { s++ } $7 != "up=-" { p++ } { bytes += $6 }
		END { printf "%d %d %d\n", s, p, bytes }'
}
# pages that should be static for the lists of PATTERN (manifest paths)
pages_of() { grep -E "$1" "$PAGES/manifest.txt" | awk '{ n += $2 } END { print n + 0 }'; }
bytes_of() { grep -E "$1" "$PAGES/manifest.txt" | awk '{ n += $4 } END { print n + 0 }'; }
KUBECTL_LISTS='^/apis/networking.k8s.io/v1/ingresses |^/api/v1/services |^/apis/discovery.k8s.io/v1/endpointslices |^/api/v1/pods |^/api/v1/events |^/api/v1/nodes '

if [ -n "${BENCH_SERVE:-}" ]; then
	cp "$KC" "$OUT/live-kubeconfig" && chmod 600 "$OUT/live-kubeconfig"
	echo "serving $PAGES on https://127.0.0.1:$PORT; kubeconfig: $OUT/live-kubeconfig;" \
		"nginx log: $T/ngx/access.log; Ctrl-C ends" >&2
	wait "$NGX_PID"
	exit 0
fi

# ---- warm-up: one run of each, checked ----
echo "warm-up runs (not measured)" >&2
cat "${BINS[@]}" "$KUBECTL" > /dev/null
find "$PAGES/pages" -type f -exec cat {} + > /dev/null
declare -A SUMMARY STATIC PROXIED
for ((b = 0; b < ${#BINS[@]}; b++)); do
	m=$(log_mark)
	"${BINS[b]}" diagnose --kubeconfig "$KC" -A -o json -v > "$T/ours$b.json" 2> "$T/ours$b.err"
	rc=$?
	read -r STATIC[$b] PROXIED[$b] _ <<<"$(log_since "$m")"
	SUMMARY[$b]=$(grep -o '[0-9]* requests ([0-9]* retries), [0-9]* bytes, HTTP/[0-9]*' "$T/ours$b.err")
	if [ $rc -gt 1 ] || [ "$(head -c 1 "$T/ours$b.json")" != "{" ]; then
		echo "live.sh: ${BINS[b]} failed (exit $rc): $(tail -3 "$T/ours$b.err")" >&2
		failed=1
	fi
	want=$(pages_of .)
	[ "${STATIC[$b]}" = "$want" ] || { echo "live.sh: ${BINS[b]} read ${STATIC[$b]} static pages, expected $want" >&2; failed=1; }
done
m=$(log_mark)
# items of kubectl's List (4-space indentation): counted without holding the output
k_items=$("${THEIRS[@]}" 2> "$T/kubectl.err" | grep -c '^        {$'; exit "${PIPESTATUS[0]}")
rc=$?
read -r k_static k_proxied _ <<<"$(log_since "$m")"
k_want=$(grep -E "$KUBECTL_LISTS" "$PAGES/manifest.txt" | awk '{ n += $3 } END { print n + 0 }')
if [ $rc != 0 ] || [ "$k_items" != "$k_want" ]; then
	echo "live.sh: kubectl (exit $rc) printed ${k_items:-?} items, expected $k_want: $(tail -3 "$T/kubectl.err")" >&2
	failed=1
fi
want=$(pages_of "$KUBECTL_LISTS")
[ "$k_static" = "$want" ] || { echo "live.sh: kubectl read $k_static static pages, expected $want" >&2; failed=1; }

# ---- measured runs, alternating ----
load_start=$(cut -d" " -f1-3 /proc/loadavg)
declare -A WALL CPU RSS
whos=()
for ((b = 0; b < ${#BINS[@]}; b++)); do whos+=("$b"); done
whos+=(kubectl)
for ((i = 1; i <= RUNS; i++)); do
	for who in "${whos[@]}"; do
		if [ "$who" = kubectl ]; then
			cmd=("${THEIRS[@]}")
			name=kubectl
		else
			cmd=("${BINS[who]}" diagnose --kubeconfig "$KC" -A -o json)
			name=${BINS[who]}
		fi
		"$RUSAGE" --cpu "$T/ru" "${cmd[@]}" > /dev/null 2> "$T/run.err"
		read -r wall user sys rss code < "$T/ru"
		if { [ "$who" != kubectl ] && [ "$code" -gt 1 ]; } || { [ "$who" = kubectl ] && [ "$code" != 0 ]; }; then
			echo "live.sh: $name: exit $code: $(tail -3 "$T/run.err")" >&2
			failed=1
		fi
		cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
		echo "  $name: run $i: ${wall} s wall, ${cpu} s CPU (user $user, sys $sys), peak RSS $((rss / 1024)) MiB" >&2
		WALL[$who]="${WALL[$who]:-} $wall" CPU[$who]="${CPU[$who]:-} $cpu" RSS[$who]="${RSS[$who]:-} $rss"
	done
done
load_end=$(cut -d" " -f1-3 /proc/loadavg)
# min and (lower) median of a list
stat_of() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%s %s", v[1], v[int((NR + 1) / 2)] }'; }
max_of() { tr ' ' '\n' <<<"$1" | grep . | sort -g | tail -n 1; }

# ---- one Ingress by name (first binary) ----
: > "$T/requests.log"
m=$(log_mark)
"$BIN" diagnose --kubeconfig "$KC" "$ING" -o json -v > "$T/one.json" 2> "$T/one.err"
one_rc=$?
read -r one_static one_proxied _ <<<"$(log_since "$m")"
one_summary=$(grep -o '[0-9]* requests ([0-9]* retries), [0-9]* bytes, HTTP/[0-9]*' "$T/one.err")
"$BIN" diagnose --from "$SNAP" "$ING" -o json > "$T/one-off.json" 2>/dev/null
# ages ("95s ago") differ: a static page's Date: is nginx's clock, not the snapshot's
one_same=no
CMP='{findings, ingresses, summary}'
noages() { jq -S "$CMP" "$1" | sed -E 's/[0-9][0-9a-z]* ago/N ago/g'; }
if diff <(noages "$T/one-off.json") <(noages "$T/one.json") > "$T/one.diff" 2>&1; then
	one_same="yes (ages aside)"
else
	echo "live.sh: diagnose $ING live differs from offline: $(head -5 "$T/one.diff")" >&2
	failed=1
fi
one_paths=$(grep -o ': GET [^ ]*' "$T/one.err" | sed 's/: GET //; s/?.*//' | sort | uniq -c |
	awk '{ printf "%s%s%s", sep, ($1 > 1 ? $1 "x " : ""), $2; sep = ", " }')

# ---- report ----
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }
verdict() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { print (a <= b * f) ? "PASS" : "FAIL" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
read -r kw_min kw_med <<<"$(stat_of "${WALL[kubectl]}")"
read -r kc_min kc_med <<<"$(stat_of "${CPU[kubectl]}")"
kr_max=$(max_of "${RSS[kubectl]}")
{
	echo "ingress-doctor live benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
	ram=$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)
	echo "machine: $(nproc) cores, $cpu, $ram, $(uname -sr)"
	echo "load average: $load_start before the measured runs, $load_end after"
	for ((b = 0; b < ${#BINS[@]}; b++)); do
		echo "binary $((b + 1)): ${BINS[b]} ($("${BINS[b]}" version 2>/dev/null | head -n 1))"
	done
	echo "kubectl: $KUBECTL ($("$KUBECTL" version --client -o json 2>/dev/null | jq -r .clientVersion.gitVersion)), address space capped at $((VMEM_KB / 1048576)) GiB"
	npods=$(grep '^/api/v1/pods ' "$PAGES/manifest.txt" | cut -d' ' -f3)
	echo "snapshot: $SNAP, $(mb "$(stat -c %s "$SNAP")"), $npods pods"
	echo "served: nginx $(nginx -v 2>&1 | cut -d/ -f2), TLS + HTTP/2, $(pages_of .) static LIST pages of 500 ($(mb "$(bytes_of .)") compact JSON; kubectl's kinds: $(pages_of "$KUBECTL_LISTS") pages, $(mb "$(bytes_of "$KUBECTL_LISTS")"))"
	echo "warm: one unmeasured run of each first; $RUNS measured run(s) each, alternating"
	for ((b = 0; b < ${#BINS[@]}; b++)); do
		echo "binary $((b + 1)) warm-up: ${SUMMARY[$b]}; nginx: ${STATIC[$b]} static pages + ${PROXIED[$b]} proxied"
	done
	echo "kubectl warm-up: $k_static static pages + $k_proxied proxied requests, $k_items items"
	echo
	printf '%-72s %15s %15s %10s\n' "command" "wall min/med s" "CPU min/med s" "peak RSS"
	for ((b = 0; b < ${#BINS[@]}; b++)); do
		read -r w1 w2 <<<"$(stat_of "${WALL[$b]}")"
		read -r c1 c2 <<<"$(stat_of "${CPU[$b]}")"
		printf '%-72s %7s/%7s %7s/%7s %10s\n' "ingress-doctor diagnose -A -o json (binary $((b + 1)))" \
			"$w1" "$w2" "$c1" "$c2" "$(mib "$(max_of "${RSS[$b]}")")"
	done
	printf '%-72s %7s/%7s %7s/%7s %10s\n' "kubectl get ingresses,services,endpointslices,pods,events,nodes -A -o json" \
		"$kw_min" "$kw_med" "$kc_min" "$kc_med" "$(mib "$kr_max")"
	for ((b = 0; b < ${#BINS[@]}; b++)); do
		read -r _ ow_med <<<"$(stat_of "${WALL[$b]}")"
		read -r _ oc_med <<<"$(stat_of "${CPU[$b]}")"
		or_max=$(max_of "${RSS[$b]}")
		echo
		printf '%-52s %-22s %s\n' "target (binary $((b + 1)))" "measured" "result"
		printf '%-52s %-22s %s\n' "CPU (user+sys) <= 1/2 of kubectl's (medians)" \
			"$(ratio "$oc_med" "$kc_med")" "$(verdict "$oc_med" "$kc_med" 0.5)"
		printf '%-52s %-22s %s\n' "peak RSS <= 1/2 of kubectl's" \
			"$(ratio "$or_max" "$kr_max")" "$(verdict "$or_max" "$kr_max" 0.5)"
		printf '%-52s %-22s %s\n' "wall time no worse than kubectl's (medians)" \
			"$(ratio "$ow_med" "$kw_med")" "$(verdict "$ow_med" "$kw_med" 1)"
	done
	echo
	echo "diagnose $ING (one Ingress, binary 1, exit $one_rc): $one_summary; same findings as offline: $one_same"
	echo "  nginx: $one_static static pages, $one_proxied proxied requests"
	echo "  requests: $one_paths"
} | tee "$OUT/live-results.txt"
exit $failed
