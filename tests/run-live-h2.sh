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

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib/apiserver.sh
. "$ROOT/tests/lib/apiserver.sh"
lib_setup id-live-h2 "BIN [SCENARIO...]" "$@"
shift
PATH=$PATH:/usr/sbin:/sbin
chmod 755 "$T"	# nginx workers may run as another user
SLOW=0.2

need_tools nginx python3 openssl jq curl cc
nginx -V 2>&1 | grep -q -- --with-http_v2_module || bail "nginx is built without http_v2"

# ---- the object dumper (the project's own reader) ----
build_dump_objects || bail "build dump_objects" "$(cat "$T/cc.err")"

# ---- certificates: a CA and the server's (nginx and server.py share it) ----
make_certs || bail "generate certificates" "$(cat "$T/openssl.log")"

# start_server OBJECTS: server.py on a port of its choosing ($UPSTREAM)
start_server() {
	apiserver_start "$1" --slow "$SLOW" || return 1
	UPSTREAM=$SRV_PORT
}

# start_nginx: the HTTP/2 front on $PORT, proxying to $UPSTREAM, its logs empty
start_nginx() {
	nginx_start "$ROOT/tests/apiserver/nginx-h2.conf.in" "$UPSTREAM" || return 1
	PORT=$NGX_PORT
	: > "$T/ngx/access.log"
	: > "$T/requests.log"
}
stop_nginx() { nginx_stop; }
stop_server() { apiserver_stop; }
stop_all() { stop_nginx; stop_server; }

# kubeconfig PORT: $T/kc, token user, the test CA; prints its path
kubeconfig() {
	kubeconfig_write "$T/kc" "https://127.0.0.1:$1" "    token: $TOKEN" default
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
	scenario_args "$d"
	set -- "${SCEN_ARGS[@]}"
	live_args=("${LIVE_ARGS[@]}")
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

finish
