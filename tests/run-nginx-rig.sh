#!/bin/bash
# run-nginx-rig.sh: a real nginx in front of misbehaving backends produces
# every kind of 502/503/504; `BIN logs access.log error.log -o json` must
# name the right class for the right upstream.
#
#   tests/run-nginx-rig.sh BIN                 run the rig and check BIN's verdicts
#   tests/run-nginx-rig.sh                     only check that nginx logs every case
#   tests/run-nginx-rig.sh --capture DIR [BIN] also copy the logs nginx wrote to DIR
#
# Debian's nginx runs as a private instance (its own prefix, config and pid in
# a temp dir, 127.0.0.1 only; the system nginx is never touched), shaped like
# ingress-nginx (tests/nginx-rig/nginx.conf.in). The backends are
# tests/nginx-rig/backends.c (built here with cc) plus `openssl s_server` for
# the TLS one. The connect-timeout case needs a network namespace (root): its
# SYN-ACKs go to a blackhole route inside the namespace; without root it is
# skipped. Nothing talks to any address but loopback and that namespace.
#
# Prints `ok - CASE` / `not ok - CASE: why` / `ok - CASE # skip why` and a last
# line `N passed, N failed`. Exits 1 when a case failed, 2 on bad usage or a
# missing tool. RIG_KEEP=1 keeps the temp dir. Needs nginx, curl, jq, openssl,
# iproute2 (for the namespace) and a C compiler.
set -u

capture=
if [ "${1:-}" = --capture ]; then
	[ $# -ge 2 ] || { echo "usage: $0 [--capture DIR] [BIN]" >&2; exit 2; }
	capture=$2
	shift 2
fi
[ $# -le 1 ] || { echo "usage: $0 [--capture DIR] [BIN]" >&2; exit 2; }
bin=${1:-}
if [ -n "$bin" ]; then
	case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
	[ -x "$bin" ] || { echo "$0: $bin: not an executable" >&2; exit 2; }
fi
here=$(cd "$(dirname "$0")" && pwd)
rig=$here/nginx-rig
PATH=$PATH:/usr/sbin:/sbin
for tool in nginx curl jq openssl "${CC:-cc}"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "$0: $tool is required (scripts/setup.sh --test installs it)" >&2
		exit 2
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/id-rig.XXXXXX")
chmod 755 "$tmp"	# nginx workers may run as another user
mkdir -p "$tmp/logs" "$tmp/tmp" "$tmp/tls" "$tmp/out"
pids=
jobs_pids=
nginx_pid=
netns=
veth=

# Stop everything this script started, by pid, and remove the namespace.
cleanup() {
	local p
	trap - EXIT INT TERM HUP
	if [ -n "$nginx_pid" ]; then
		kill -QUIT "$nginx_pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$nginx_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$nginx_pid" 2>/dev/null
	fi
	for p in $jobs_pids; do	# the traffic, when interrupted
		pkill -P "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "$veth" ] && ip link del "$veth" 2>/dev/null
	[ -n "$netns" ] && ip netns del "$netns" 2>/dev/null
	if [ "${RIG_KEEP:-0}" = 1 ]; then
		echo "# kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { local n=$1; shift; echo "not ok - $n: $*"; failed=$((failed + 1)); }
skip() { echo "ok - $1 # skip $2"; passed=$((passed + 1)); }
die() { echo "not ok - rig: $*"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

# wait_port PORT: until something accepts on 127.0.0.1:PORT (5 s at most).
wait_port() {
	for _ in $(seq 1 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

port() { awk -v n="$1" '$1 == n { print $2 }' "$tmp/ports"; }

# --- the backends -------------------------------------------------------------
# No priority games: ingress-doctor tells the keep-alive race by evidence
# that does not depend on the machine's speed (retries answered by the same
# address, failures no slower than the upstream's fastest answers).
"${CC:-cc}" -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -pthread -o "$tmp/backends" \
	"$rig/backends.c" || die "cannot build tests/nginx-rig/backends.c"
"$tmp/backends" "$tmp/ports" ok refused slow close reset idle bighdr plain=ok grpc=ok \
	http=free h2c=free tls=free 2>"$tmp/backends.err" &
pids="$pids $!"
for _ in $(seq 1 50); do
	[ -s "$tmp/ports" ] && break
	sleep 0.1
done
[ -s "$tmp/ports" ] || die "the backends did not start: $(head -c 300 "$tmp/backends.err")"

# A TLS-only backend: a real TLS stack (OpenSSL), with a throwaway key made
# for this run in the temp dir and deleted with it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=rig.test -keyout "$tmp/tls/key.pem" -out "$tmp/tls/cert.pem" \
	>"$tmp/tls/req.log" 2>&1 || die "openssl req failed: $(head -c 300 "$tmp/tls/req.log")"
openssl s_server -quiet -www -accept "127.0.0.1:$(port tls)" -cert "$tmp/tls/cert.pem" \
	-key "$tmp/tls/key.pem" </dev/null >"$tmp/tls/server.log" 2>&1 &
pids="$pids $!"

# --- the namespace whose SYN-ACKs vanish (connect timeout) ----------------------
# 198.18.0.0/15 is reserved for network benchmarks (RFC 2544); the /30 is
# derived from the pid so that two rigs can run at once.
ns_skip=
o3=$(($$ / 64 % 256))
o4=$(($$ % 64 * 4))
nshost=198.18.$o3.$((o4 + 1))
nsaddr=198.18.$o3.$((o4 + 2))
if [ "$(id -u)" != 0 ]; then
	ns_skip="not root: cannot create a network namespace"
elif ! command -v ip >/dev/null 2>&1; then
	ns_skip="ip (iproute2) not installed"
elif ip route get "$nsaddr" 2>/dev/null | grep -q " dev lo\| dev idr"; then
	ns_skip="$nsaddr is already routed locally"
else
	netns=idrig-$$
	veth=idr$$a
	if ! { ip netns add "$netns" &&
		ip link add "$veth" type veth peer name "idr$$b" &&
		ip link set "idr$$b" netns "$netns" &&
		ip addr add "$nshost/30" dev "$veth" &&
		ip link set "$veth" up &&
		ip -n "$netns" addr add "$nsaddr/30" dev "idr$$b" &&
		ip -n "$netns" link set "idr$$b" up &&
		ip -n "$netns" route add blackhole "$nshost/32"; } 2>"$tmp/netns.err"; then
		ns_skip="cannot set up a network namespace: $(head -n 1 "$tmp/netns.err")"
	fi
fi
[ -n "$ns_skip" ] && nsaddr=127.0.0.1	# the location is then never requested

# --- nginx ----------------------------------------------------------------------
sedargs=(-e "s|@DIR@|$tmp|g" -e "s|@NSADDR@|$nsaddr|g")
while read -r name p; do
	sedargs+=(-e "s|@PORT_$name@|$p|g")
done <"$tmp/ports"
sed "${sedargs[@]}" "$rig/nginx.conf.in" >"$tmp/nginx.conf"
grep -v '^#' "$tmp/nginx.conf" | grep -q '@[A-Za-z_]*@' && die "unreplaced @NAME@ in nginx.conf"
nginx -p "$tmp/" -c "$tmp/nginx.conf" -e "$tmp/logs/error.log" -g 'daemon off;' \
	2>"$tmp/nginx.err" &
nginx_pid=$!
http=$(port http)
h2c=$(port h2c)
# Ready when both listeners answer /healthy through the healthy backend (a
# port someone else took would not).
ready=
for _ in $(seq 1 50); do
	kill -0 "$nginx_pid" 2>/dev/null || break
	if [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/healthy")" = 200 ] &&
		[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' --http2-prior-knowledge \
			"http://127.0.0.1:$h2c/healthy")" = 200 ]; then
		ready=1
		break
	fi
	sleep 0.1
done
[ -n "$ready" ] ||
	die "nginx did not start: $(cat "$tmp/logs/error.log" "$tmp/nginx.err" 2>/dev/null |
		tail -n 3 | head -c 600)"
wait_port "$(port tls)" ||
	die "openssl s_server did not start: $(head -c 300 "$tmp/tls/server.log")"

# --- the traffic ----------------------------------------------------------------
base=http://127.0.0.1:$http
# get N PATH [CURL ARGS...]: N requests to PATH in one curl (one client connection).
get() {
	local n=$1 path=$2 args=() i
	shift 2
	for i in $(seq 1 "$n"); do
		args+=(-o /dev/null "$base$path")
	done
	curl -s -m 10 -w '%{http_code}\n' "$@" "${args[@]}" >>"$tmp/out/${path#/}" 2>&1
}

# The keep-alive race: bursts of requests, each burst after a pause longer than
# the backend's 50 ms idle timeout. The first request of a burst meets the
# connection the backend is closing: a POST gets 502 (nginx does not retry it),
# a GET is retried on a fresh connection. The rest of the burst succeeds.
keepalive_load() {
	local i
	for i in 1 2 3 4 5 6; do
		sleep 0.15
		get 8 /idle -X POST -d "order=$i"
		sleep 0.15
		get 4 /idle
	done
}

get 5 /healthy & jobs_pids="$jobs_pids $!"
get 3 /refused & jobs_pids="$jobs_pids $!"
get 2 /refused -X POST -d x=1 & jobs_pids="$jobs_pids $!"
if [ -z "$ns_skip" ]; then
	get 2 /blackhole & jobs_pids="$jobs_pids $!"
fi
get 1 /slow & jobs_pids="$jobs_pids $!"
get 3 /closer & jobs_pids="$jobs_pids $!"
get 3 /reset & jobs_pids="$jobs_pids $!"
get 2 /bigheader & jobs_pids="$jobs_pids $!"
get 2 /tlsbackend & jobs_pids="$jobs_pids $!"
get 2 /plainbackend & jobs_pids="$jobs_pids $!"
get 2 /alldown & jobs_pids="$jobs_pids $!"
get 3 /empty & jobs_pids="$jobs_pids $!"
# h2c with prior knowledge; one request per connection (nginx ends the HTTP/2
# connection after the upstream's garbage frame).
(
	base=http://127.0.0.1:$h2c
	get 1 /grpc --http2-prior-knowledge
	get 1 /grpc --http2-prior-knowledge
) & jobs_pids="$jobs_pids $!"
keepalive_load & jobs_pids="$jobs_pids $!"
# shellcheck disable=SC2086
wait $jobs_pids

# Stop nginx gracefully so that every line is written.
kill -QUIT "$nginx_pid" 2>/dev/null
for _ in $(seq 1 50); do
	kill -0 "$nginx_pid" 2>/dev/null || break
	sleep 0.1
done
nginx_pid=

acc=$tmp/logs/access.log
errlog=$tmp/logs/error.log
if [ -n "$capture" ]; then
	mkdir -p "$capture" || die "cannot create $capture"
	if ! cp "$acc" "$capture/access.log" || ! cp "$errlog" "$capture/error.log"; then
		die "cannot copy the logs to $capture"
	fi
	echo "# logs copied to $capture" >&2
fi

# --- what nginx wrote (the rig itself works) --------------------------------------
# rig_case NAME PATH STATUS ERRTEXT: nginx answered STATUS on PATH and its
# error log has ERRTEXT (an extended regular expression) for that request.
rig_case() {
	local name=$1 path=$2 status=$3 text=$4 why=
	grep -q "\"[A-Z]* $path HTTP/[0-9.]*\" $status " "$acc" ||
		why="no $status for $path in the access log"
	if [ -n "$text" ] && ! grep -F "request: \"" "$errlog" | grep -F " $path HTTP/" |
		grep -q -E -- "$text"; then
		why="${why:+$why; }no '$text' for $path in the error log"
	fi
	if [ -z "$why" ]; then ok "nginx: $name"; else notok "nginx: $name" "$why"; fi
}

rig_case "healthy backend answers 200" /healthy 200 ""
rig_case "refused connect gives 502" /refused 502 "\\(111: Connection refused\\) while connecting"
if [ -n "$ns_skip" ]; then
	skip "nginx: dropped SYNs give 504" "$ns_skip"
else
	rig_case "dropped SYNs give 504" /blackhole 504 \
		"upstream timed out \\(110: Connection timed out\\) while connecting to upstream"
fi
rig_case "slow backend gives 504" /slow 504 \
	"upstream timed out \\(110: Connection timed out\\) while reading response header"
# Closed before nginx's request arrived: FIN, then RST for the request.
rig_case "accept-and-close gives 502" /closer 502 \
	"upstream prematurely closed connection|recv\\(\\) failed \\(104: Connection reset by peer\\)"
rig_case "reset gives 502" /reset 502 \
	"\\(104: Connection reset by peer\\) while reading response header"
rig_case "32 KB header gives 502" /bigheader 502 "upstream sent too big header"
rig_case "HTTP to a TLS port gives 502" /tlsbackend 502 "upstream prematurely closed connection"
rig_case "TLS to an HTTP port gives 502" /plainbackend 502 "SSL_do_handshake\\(\\) failed"
rig_case "every server down gives 502" /alldown 502 "no live upstreams"
rig_case "no endpoints gives 503" /empty 503 ""
rig_case "gRPC to an HTTP/1 backend gives 502" /grpc 502 "too large http2 frame"
if grep -q '"POST /idle HTTP/1.1" 502 ' "$acc" && grep -q '"POST /idle HTTP/1.1" 200 ' "$acc"; then
	ok "nginx: keep-alive race gives intermittent 502 on POST"
else
	notok "nginx: keep-alive race gives intermittent 502 on POST" \
		"$(grep -c '"POST /idle' "$acc") POSTs, $(grep -c '"POST /idle HTTP/1.1" 502 ' "$acc")" \
		"of them 502"
fi

# --- what ingress-doctor makes of it ------------------------------------------------
if [ -z "$bin" ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi
json=$tmp/logs.json
"$bin" logs "$acc" "$errlog" -o json >"$json" 2>"$tmp/logs.err"
rc=$?
if [ "$rc" = 1 ] && jq -e . "$json" >/dev/null 2>&1; then
	ok "logs: exit 1 (error findings) and valid JSON"
else
	notok "logs: exit 1 (error findings) and valid JSON" \
		"exit $rc; $(head -c 300 "$tmp/logs.err")"
	jq -e . "$json" >/dev/null 2>&1 || die "no JSON to check"
fi

# finding ID UPSTREAM: a finding ID names upstream UPSTREAM.
finding() {
	local id=$1 up=$2
	if jq -e --arg id "$id" --arg up "$up" \
		'any(.findings[]; .id == $id and .kind == "Upstream" and .name == $up)' \
		"$json" >/dev/null; then
		ok "logs: $id for $up"
	else
		notok "logs: $id for $up" "found: $(jq -c --arg up "$up" \
			'[.findings[] | select(.name == $up) | .id]' "$json")"
	fi
}

finding upstream-connect-refused rig-refused-8080
if [ -n "$ns_skip" ]; then
	skip "logs: upstream-connect-timeout for rig-blackhole-8080" "$ns_skip"
else
	finding upstream-connect-timeout rig-blackhole-8080
fi
finding upstream-read-timeout rig-slow-8080
finding upstream-premature-close rig-closer-8080
finding upstream-premature-close rig-reset-8080
finding upstream-premature-close rig-tlsbackend-8443
finding keepalive-timeout-mismatch rig-idle-3000
finding upstream-header-too-big rig-bigheader-8080
finding upstream-ssl-error rig-plainbackend-8080
finding no-live-upstreams rig-alldown-80
finding service-no-ready-endpoints rig-empty-80
finding ingress-backend-protocol-mismatch rig-grpc-50051

# No finding for the healthy upstream, and no keep-alive verdict where every
# request fails (a crash or a protocol mistake, not the race).
bad=$(jq -c '[.findings[] | select(.name == "rig-healthy-80") | .id]' "$json")
if [ "$bad" = "[]" ]; then ok "logs: nothing for rig-healthy-80"; else
	notok "logs: nothing for rig-healthy-80" "found $bad"; fi
bad=$(jq -c '[.findings[] | select(.id == "keepalive-timeout-mismatch") | .name] -
	["rig-idle-3000"]' "$json")
if [ "$bad" = "[]" ]; then ok "logs: keepalive-timeout-mismatch only for rig-idle-3000"; else
	notok "logs: keepalive-timeout-mismatch only for rig-idle-3000" "also for $bad"; fi

# No other finding: each case has one cause (the keep-alive race is also a
# premature close). A second id on an upstream is a misclassification.
bad=$(jq -c '[.findings[] | "\(.id) \(.kind)/\(.name)"] - [
	"upstream-connect-refused Upstream/rig-refused-8080",
	"upstream-connect-timeout Upstream/rig-blackhole-8080",
	"upstream-read-timeout Upstream/rig-slow-8080",
	"upstream-premature-close Upstream/rig-closer-8080",
	"upstream-premature-close Upstream/rig-reset-8080",
	"upstream-premature-close Upstream/rig-tlsbackend-8443",
	"upstream-premature-close Upstream/rig-idle-3000",
	"keepalive-timeout-mismatch Upstream/rig-idle-3000",
	"upstream-header-too-big Upstream/rig-bigheader-8080",
	"upstream-ssl-error Upstream/rig-plainbackend-8080",
	"no-live-upstreams Upstream/rig-alldown-80",
	"service-no-ready-endpoints Upstream/rig-empty-80",
	"ingress-backend-protocol-mismatch Upstream/rig-grpc-50051"]' "$json")
if [ "$bad" = "[]" ]; then ok "logs: no other finding"; else
	notok "logs: no other finding" "unexpected $bad"; fi

# The per-upstream 5xx counts of the statistics, against the access log
# counted here (status after the request, first [name] after the user agent).
want=$(awk -F'"' '{
	split($3, st, " ")
	if (match($7, /\[[^]]*\]/) && st[1] >= 500)
		n[substr($7, RSTART + 1, RLENGTH - 2)]++
} END { for (u in n) print u, n[u] }' "$acc" | sort)
got=$(jq -r '.statistics.upstreams[] | select(.["5xx"] > 0) | "\(.name) \(.["5xx"])"' "$json" |
	sort)
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	ok "logs: 5xx per upstream match the access log"
else
	notok "logs: 5xx per upstream match the access log" \
		"want [$(tr '\n' ' ' <<<"$want")], got [$(tr '\n' ' ' <<<"$got")]"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
