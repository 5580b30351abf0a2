#!/bin/bash
# run-live-h2.sh: the live source over HTTP/2, multiplexed, as a real API server offers it.
#
#   tests/run-live-h2.sh BIN [SCENARIO...]
#
# The test API server (tests/apiserver/server.py) speaks HTTP/1.1; here
# Debian's nginx (built with http_v2) is put in front of it as a TLS +
# HTTP/2 proxy on loopback (tests/apiserver/nginx-h2.conf.in: its own
# prefix and config in a temp dir, unprivileged, the system nginx is never
# touched), with the server certificate of a CA made at test time. For each
# scenario folder (default: a few), `diagnose -A -v -o json` through nginx:
#   - reports HTTP/2 for every request in its -v log, and the same findings,
#     paths, summary and exit status as the offline `diagnose --from`;
#   - every request of the run came over one TCP connection (nginx's
#     $connection is the same on every line of its access log), as HTTP/2.0;
#   - several requests were in flight at once: streams overlap in time
#     (start = $msec - $request_time; the server answers after 0.2 s
#     (--slow) so that the overlap does not depend on timing luck);
#   - the kubeconfig's token went through: every request carried an
#     Authorization header (nginx's log says so, never the value) and the
#     server authenticated every one as "token".
# A control run straight to server.py must report HTTP/1 (the check can fail).
# Needs: nginx (http_v2), python3, openssl, jq, curl, cc.
# Prints `ok - ...` / `not ok - ...` and `N passed, N failed`; exit 1 on failure.
set -u

[ $# -ge 1 ] || { echo "usage: $0 BIN [SCENARIO...]" >&2; exit 2; }
BIN=$(realpath "$1")
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BDIR=$(dirname "$BIN")
PATH=$PATH:/usr/sbin:/sbin
T=$(mktemp -d "${TMPDIR:-/tmp}/id-live-h2.XXXXXX")
chmod 755 "$T"	# nginx workers may run as another user
passed=0
failed=0
SRV_PID=""
NGX_PID=""
TOKEN="tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
SLOW=0.2

cleanup() {
	stop_all
	rm -rf "$T"
}
trap cleanup EXIT

ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' <<<"$2" | head -20; failed=$((failed + 1)); }
bail() { notok "$1" "${2:-}"; echo "$passed passed, $failed failed"; exit 1; }

for tool in nginx python3 openssl jq curl cc; do
	command -v "$tool" >/dev/null || bail "$tool is not installed"
done
nginx -V 2>&1 | grep -q -- --with-http_v2_module || bail "nginx is built without http_v2"

# ---- the object dumper (the project's own reader) ----
# shellcheck disable=SC2046 # pkg-config's words are meant to split
if ! cc -std=c17 -D_GNU_SOURCE -o "$T/dump_objects" "$ROOT/tests/apiserver/dump_objects.c" \
	"$BDIR/libid.a" $(pkg-config --libs libfyaml zlib libcurl) -lm \
	$([[ "$BDIR" == *build-san* ]] && echo -fsanitize=address,undefined) 2>"$T/cc.err"; then
	bail "build dump_objects" "$(cat "$T/cc.err")"
fi

# ---- certificates: a CA and the server's (nginx and server.py share it) ----
PKI=$T/pki
mkdir -p "$PKI"
if ! (
	cd "$PKI" || exit 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj /CN=test-ca -keyout ca.key -out ca.crt
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-subj /CN=kube-apiserver -keyout server.key -out server.csr
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default\n' > san.ext
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-extfile san.ext -out server.crt
) >"$T/openssl.log" 2>&1; then
	bail "generate certificates" "$(cat "$T/openssl.log")"
fi

# start_server OBJECTS: server.py on a port of its choosing ($UPSTREAM)
start_server() {
	rm -f "$T/port"
	: > "$T/requests.log"
	python3 "$ROOT/tests/apiserver/server.py" --objects "$1" --cert "$PKI/server.crt" \
		--key "$PKI/server.key" --client-ca "$PKI/ca.crt" --token "$TOKEN" \
		--log "$T/requests.log" --port-file "$T/port" --slow "$SLOW" 2>"$T/server.err" &
	SRV_PID=$!
	for _ in $(seq 100); do
		[ -s "$T/port" ] && break
		sleep 0.05
	done
	UPSTREAM=$(cat "$T/port" 2>/dev/null)
	[ -n "$UPSTREAM" ]
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_nginx: the HTTP/2 front on $PORT, proxying to $UPSTREAM
start_nginx() {
	local code
	for _ in 1 2 3; do
		PORT=$(free_port)
		rm -rf "$T/ngx"
		mkdir -p "$T/ngx/tmp"
		chmod 755 "$T/ngx"
		sed -e "s|@DIR@|$T/ngx|g" -e "s|@PKI@|$PKI|g" -e "s|@PORT@|$PORT|g" \
			-e "s|@UPSTREAM@|$UPSTREAM|g" "$ROOT/tests/apiserver/nginx-h2.conf.in" \
			> "$T/ngx/nginx.conf"
		nginx -p "$T/ngx/" -c "$T/ngx/nginx.conf" -e "$T/ngx/error.log" \
			-g 'daemon off;' 2>"$T/ngx/nginx.err" &
		NGX_PID=$!
		for _ in $(seq 50); do
			kill -0 "$NGX_PID" 2>/dev/null || break
			code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.crt" \
				"https://127.0.0.1:$PORT/api")
			# 401: server.py answered through nginx (no token given here)
			if [ "$code" = 401 ]; then
				: > "$T/ngx/access.log"
				: > "$T/requests.log"
				return 0
			fi
			sleep 0.1
		done
		stop_nginx
	done
	return 1
}

stop_nginx() {
	if [ -n "$NGX_PID" ]; then
		kill -QUIT "$NGX_PID" 2>/dev/null
		for _ in $(seq 30); do
			kill -0 "$NGX_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$NGX_PID" 2>/dev/null
		wait "$NGX_PID" 2>/dev/null
		NGX_PID=""
	fi
}

stop_server() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=""
	fi
}

stop_all() { stop_nginx; stop_server; }

# kubeconfig PORT: token user, the test CA
kubeconfig() {
	cat > "$T/kc" <<EOF
apiVersion: v1
kind: Config
current-context: test
clusters:
- name: test
  cluster:
    server: https://127.0.0.1:$1
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: test
  user:
    token: $TOKEN
contexts:
- name: test
  context: {cluster: test, user: test, namespace: default}
EOF
	echo "$T/kc"
}

# overlap: how many requests of the access log started before an earlier-started one ended
overlaps() {
	sed -n 's/.* end=\([0-9.]*\) dur=\([0-9.]*\) .*/\1 \2/p' "$T/ngx/access.log" |
		awk '{ printf "%.3f %.3f\n", $1 - $2, $1 }' | sort -n |
		awk 'NR > 1 && $1 < maxend { n++ } { if ($2 > maxend) maxend = $2 } END { print n + 0 }'
}

CMP='{findings, ingresses, summary}'

scenarios=()
if [ $# -gt 0 ]; then
	scenarios=("$@")
else
	scenarios=(demo pod-crashloop ingress-service-missing endpointslice-mismatch node-not-ready)
fi

first=1
for name in "${scenarios[@]}"; do
	d=$ROOT/tests/scenarios/$name
	[ -f "$d/expected" ] && [ -d "$d/snapshot" ] || { notok "scenario $name: no such scenario"; continue; }
	args=$(cat "$d/args" 2>/dev/null || true)
	# shellcheck disable=SC2086
	set -- $args
	live_args=("$@")
	has_ns=0
	for a in "$@"; do [ "$a" = -n ] || [ "$a" = --namespace ] && has_ns=1; done
	[ $has_ns = 1 ] || live_args=(-A "${live_args[@]}")
	if ! "$T/dump_objects" "$d/snapshot" > "$T/objects.jsonl" 2>"$T/dump.err"; then
		notok "scenario $name: dump_objects" "$(cat "$T/dump.err")"
		continue
	fi
	start_server "$T/objects.jsonl" || { notok "scenario $name: server.py did not start" \
		"$(cat "$T/server.err")"; stop_all; continue; }

	if [ $first = 1 ]; then
		# control: straight to server.py, HTTP/1.1 only
		first=0
		kc=$(kubeconfig "$UPSTREAM")
		"$BIN" diagnose --kubeconfig "$kc" "${live_args[@]}" -v -o json > /dev/null 2>"$T/h1.err"
		if grep -q ', HTTP/1$' "$T/h1.err" && ! grep -q 'HTTP/2' "$T/h1.err"; then
			ok "control: straight to the HTTP/1.1 test server, -v reports HTTP/1"
		else
			notok "control: straight to the HTTP/1.1 test server" "$(tail -5 "$T/h1.err")"
		fi
		: > "$T/requests.log"
	fi

	start_nginx || { notok "scenario $name: nginx did not start" \
		"$(cat "$T/ngx/error.log" "$T/ngx/nginx.err" 2>/dev/null | tail -5)"; stop_all; continue; }
	kc=$(kubeconfig "$PORT")
	"$BIN" diagnose --from "$d/snapshot" "$@" -o json > "$T/off.json" 2>"$T/off.err"
	rc_off=$?
	t0=$(date +%s.%N)
	"$BIN" diagnose --kubeconfig "$kc" "${live_args[@]}" -v -o json > "$T/live.json" 2>"$T/live.err"
	rc_live=$?
	t1=$(date +%s.%N)
	stop_nginx   # flushes the access log
	stop_server

	# HTTP/2 in the request log: every request line and the summary
	nlines=$(grep -c ': GET /' "$T/live.err")
	nh2=$(grep ': GET /' "$T/live.err" | grep -c '(HTTP/2, ')
	if [ "$nlines" -gt 2 ] && [ "$nlines" = "$nh2" ] && grep -q 'requests (.*, HTTP/2$' "$T/live.err"; then
		ok "scenario $name: -v reports HTTP/2 for all $nlines requests"
	else
		notok "scenario $name: HTTP/2 in the -v log ($nh2 of $nlines)" "$(head -5 "$T/live.err")"
	fi
	# same findings as offline
	if [ $rc_off != $rc_live ]; then
		notok "scenario $name: exit offline $rc_off, through HTTP/2 $rc_live" "$(cat "$T/live.err")"
	elif ! diff <(jq -S "$CMP" "$T/off.json" 2>&1) <(jq -S "$CMP" "$T/live.json" 2>&1) > "$T/diff"; then
		notok "scenario $name: offline and live over HTTP/2 differ" "$(head -30 "$T/diff")"
	else
		ok "scenario $name: live over HTTP/2 = offline (exit $rc_live)"
	fi
	# one TCP connection, HTTP/2.0, as many requests as the client sent
	nacc=$(wc -l < "$T/ngx/access.log")
	nconn=$(grep -o 'conn=[0-9]*' "$T/ngx/access.log" | sort -u | wc -l)
	nproto=$(grep -vc ' HTTP/2.0 ' "$T/ngx/access.log")
	if [ "$nacc" = "$nlines" ] && [ "$nconn" = 1 ] && [ "$nproto" = 0 ]; then
		ok "scenario $name: all $nacc requests over one TCP connection (HTTP/2.0)"
	else
		notok "scenario $name: connections" "$nacc requests in nginx's log, $nlines by the client, $nconn connection(s), $nproto not HTTP/2.0
$(head -5 "$T/ngx/access.log")"
	fi
	# streams in flight at once: each answer takes >= SLOW s, the run less than their sum
	nover=$(overlaps)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	serial=$(awk -v n="$nacc" -v s="$SLOW" 'BEGIN { printf "%.2f", n * s }')
	if [ "$nover" -ge 2 ] && awk -v w="$wall" -v s="$serial" 'BEGIN { exit !(w < s) }'; then
		ok "scenario $name: streams multiplexed ($nover of $nacc started while another was in flight; ${wall} s for ${serial} s of serial answers)"
	else
		notok "scenario $name: streams not multiplexed" "$nover overlapping, wall $wall s, serial $serial s
$(cat "$T/ngx/access.log")"
	fi
	# the token reached the server through nginx
	nsrv=$(wc -l < "$T/requests.log")
	nnotok=$(grep -vc ' token$' "$T/requests.log")
	nnoauth=$(grep -vc ' auth=yes ' "$T/ngx/access.log")
	if [ "$nsrv" = "$nacc" ] && [ "$nnotok" = 0 ] && [ "$nnoauth" = 0 ]; then
		ok "scenario $name: the token went through nginx (server.py: $nsrv requests, all \"token\")"
	else
		notok "scenario $name: token pass-through" "server.py saw $nsrv requests ($nnotok without the token), nginx $nacc ($nnoauth without Authorization)
$(grep -v ' token$' "$T/requests.log" | head -3)"
	fi
	# nothing printed holds the token
	if grep -qF "$TOKEN" "$T/live.err" "$T/live.json" "$T/ngx/access.log" "$T/ngx/error.log"; then
		notok "scenario $name: the token appears in an output or log"
	fi
done

echo "$passed passed, $failed failed"
[ $failed = 0 ]
