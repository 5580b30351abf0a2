#!/bin/bash
# run-live.sh: the live source against the test API server (tests/apiserver/).
#
#   tests/run-live.sh BIN [SCENARIO...]
#
# Generates a CA, server and client certificates with openssl, then:
#   - every tests/scenarios/*/ folder (with expected + snapshot/) is diagnosed
#     offline (--from) and live through the server; -o json findings, paths,
#     summary and the exit status must be identical; and each of its Ingresses
#     (up to 6) diagnosed by name (NS/NAME: the targeted fetch) must equal the
#     offline `diagnose --from SNAPSHOT NS/NAME`, with no unselective list;
#   - kubectl (when installed) reads the server: get of each kind, -o json,
#     selectors, --chunk-size paging, logs, an exec-plugin kubeconfig;
#   - each fault has a case (403, 401 once, 429, 500, slow, cut, truncated
#     body, wrong certificate, expired continue, unreachable server);
#   - exec plugin caching and the 401 refresh; token, client cert auth;
#   - snapshot -o DIR, then diagnose --from DIR gives the same findings;
#     it saves the controllers' pod logs (pods/log, --log-since, --log-tail);
#   - a live diagnose fetches the controller pod's log (served from a logs-*
#     scenario) and joins it: = diagnose --from SNAP --logs FILE; --no-logs,
#     --log-since/--log-tail, 403 on pods/log (a warning, the diagnosis goes on);
#   - nothing printed with -v holds the token or key material;
#   - the targeted read of a namespace larger than its page; kubectl's
#     connection flags (--cluster, --user, -s, --token, --username/--password,
#     --as/--as-group/--as-uid, --insecure-skip-tls-verify, --tls-server-name,
#     --proxy-url) and the cluster fields live: basic auth, impersonation
#     (the server logs the Impersonate-* values), tls-server-name, insecure,
#     proxy-url through tests/apiserver/connect_proxy.py, in-cluster config
#     (unshare: a private mount namespace; skipped when not permitted);
#   - an old cluster (Ingress only extensions/v1beta1) with /apis readable and
#     forbidden: v1 answers 404, the legacy version is read;
#   - live --logs FILE instead of pods/log; sinceSeconds on pods/log.
# Needs: python3, openssl, jq, cc (builds tests/apiserver/dump_objects);
# unshare (util-linux) for the in-cluster case.
# Prints `ok - ...` / `not ok - ...` and `N passed, N failed`; exit 1 on failure.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib/apiserver.sh
. "$ROOT/tests/lib/apiserver.sh"
lib_setup id-live "BIN [SCENARIO...]" "$@"
shift

need_tools python3 openssl jq cc

# ---- build the object dumper (the project's own reader) ----
build_dump_objects || bail "build dump_objects" "$(cat "$T/cc.err")"

# ---- certificates: the server's, a client's, and one from another CA ----
make_certs client wrong || bail "generate certificates" "$(cat "$T/openssl.log")"
b64() { base64 -w0 < "$1"; }

# start_server OBJECTS [SERVER.PY ARGS]... [--wrong-cert]: the server on $PORT
# (--wrong-cert: with a certificate the kubeconfigs' CA did not sign)
start_server() {
	local objs=$1 a
	shift
	local srv_args=()
	for a in "$@"; do
		if [ "$a" = --wrong-cert ]; then
			srv_args+=(--cert "$PKI/wrong.crt" --key "$PKI/wrong.key")
		else
			srv_args+=("$a")
		fi
	done
	apiserver_start "$objs" "${srv_args[@]}" || return 1
	PORT=$SRV_PORT
}
stop_server() { apiserver_stop; }

# kubeconfig NAME USER-STANZA: $T/NAME for the server on $PORT; prints its path
kubeconfig() {
	kubeconfig_write "$T/$1" "https://127.0.0.1:$PORT" "$2" default
	echo "$T/$1"
}
token_user="    token: $TOKEN"

# jq filter: what must be identical between offline and live
CMP='{findings, ingresses, summary}'

dump() { "$T/dump_objects" "$1" > "$2" 2>"$T/dump.err"; }

# ---- scenarios: offline and live must agree ----
scenarios=()
if [ $# -gt 0 ]; then
	for s in "$@"; do scenarios+=("$ROOT/tests/scenarios/$s"); done
else
	for d in "$ROOT"/tests/scenarios/*/; do scenarios+=("${d%/}"); done
fi
for d in "${scenarios[@]}"; do
	name=$(basename "$d")
	[ -f "$d/expected" ] && [ -d "$d/snapshot" ] || continue
	case "$name" in
	format-legacy-ingress)
		# the test server cannot convert between API versions, a real one does
		echo "ok - # SKIP scenario $name: needs API version conversion"
		continue ;;
	esac
	scenario_args "$d"
	set -- "${SCEN_ARGS[@]}"
	live_args=("${LIVE_ARGS[@]}")
	if ! dump "$d/snapshot" "$T/objects.jsonl"; then
		notok "scenario $name: dump_objects" "$(cat "$T/dump.err")"
		continue
	fi
	if ! start_server "$T/objects.jsonl"; then
		notok "scenario $name: server did not start" "$(cat "$T/server.err")"
		continue
	fi
	kc=$(kubeconfig kc-token "$token_user")
	"$BIN" diagnose --from "$d/snapshot" "$@" -o json > "$T/off.json" 2>"$T/off.err"
	rc_off=$?
	"$BIN" diagnose --kubeconfig "$kc" "${live_args[@]}" -o json > "$T/live.json" 2>"$T/live.err"
	rc_live=$?
	# each Ingress by name: the targeted live fetch must give the findings of the full snapshot
	"$BIN" diagnose --from "$d/snapshot" -A -o json 2>/dev/null |
		jq -r '.ingresses[] | "\(.namespace)/\(.name)"' 2>/dev/null | sort -u | head -6 > "$T/names"
	tgt_bad=""
	ntgt=0
	while read -r ing; do
		[ -n "$ing" ] || continue
		ntgt=$((ntgt + 1))
		"$BIN" diagnose --from "$d/snapshot" "$ing" -o json > "$T/toff.json" 2>/dev/null
		t_off=$?
		: > "$T/requests.log"
		"$BIN" diagnose --kubeconfig "$kc" "$ing" -o json > "$T/tlive.json" 2>"$T/tlive.err"
		t_live=$?
		if [ $t_off != $t_live ]; then
			tgt_bad="$ing: exit offline $t_off, live $t_live
$(cat "$T/tlive.err")"
			break
		elif ! diff <(jq -S "$CMP" "$T/toff.json" 2>&1) <(jq -S "$CMP" "$T/tlive.json" 2>&1) \
			> "$T/diff"; then
			tgt_bad="$ing: $(head -30 "$T/diff")"
			break
		elif grep -qv -e '/ingresses/' -e '?limit=' -e '^GET /version' -e '^GET /apis ' \
			-e '/services/' -e '/endpoints/' -e '/secrets/' -e '/nodes/' -e '/namespaces/[a-z0-9-]* ' \
			-e '/configmaps/' -e '/pods/[a-z0-9.-]*/log?' "$T/requests.log"; then
			tgt_bad="$ing: unexpected request $(grep -v -e '?limit=' "$T/requests.log" | head -3)"
			break
		elif grep '?limit=' "$T/requests.log" | grep -v -e 'Selector=' -e '/ingressclasses?' \
			-e '/networkpolicies?' -e '/pods?limit=500[ &]' -e '/namespaces/[a-z0-9-]*/pods?' \
			-e '/namespaces/[a-z0-9-]*/services?' -e '/namespaces/[a-z0-9-]*/endpointslices?' \
			-e '/namespaces/[a-z0-9-]*/endpoints?limit=[0-9]* ' \
			> "$T/unexpected"; then
			tgt_bad="$ing: unexpected full list $(head -3 "$T/unexpected")"
			break
		fi
	done < "$T/names"
	if [ -n "$tgt_bad" ]; then
		notok "scenario $name: diagnose NS/NAME live (targeted) differs from offline" "$tgt_bad"
	elif [ $ntgt -gt 0 ]; then
		ok "scenario $name: diagnose NS/NAME live (targeted fetch) = offline for $ntgt Ingress(es)"
	fi
	stop_server
	if [ $rc_off != $rc_live ]; then
		notok "scenario $name: exit offline $rc_off, live $rc_live" "$(cat "$T/live.err")"
	elif ! diff <(jq -S "$CMP" "$T/off.json" 2>&1) <(jq -S "$CMP" "$T/live.json" 2>&1) > "$T/diff"; then
		notok "scenario $name: offline and live differ" "$(head -30 "$T/diff"; cat "$T/live.err")"
	else
		ok "scenario $name: live = offline (exit $rc_live)"
	fi
done

# ---- the demo cluster for the remaining cases ----
DEMO=$ROOT/tests/scenarios/demo/snapshot
dump "$DEMO" "$T/demo.jsonl" || notok "dump demo" "$(cat "$T/dump.err")"
"$BIN" diagnose --from "$DEMO" -o json > "$T/demo-off.json" 2>/dev/null
jq -S "$CMP" "$T/demo-off.json" > "$T/demo-off.cmp"

same_as_offline() {   # FILE: live -o json output equals the offline demo
	diff "$T/demo-off.cmp" <(jq -S "$CMP" "$1" 2>&1) > "$T/diff"
}
live() {   # KUBECONFIG ARGS...: run diagnose -A -o json into live.json/live.err, rc in $rc
	local kc=$1
	shift
	"$BIN" diagnose --kubeconfig "$kc" -A -o json "$@" > "$T/live.json" 2>"$T/live.err"
	rc=$?
}
err_has() { grep -qF -- "$1" "$T/live.err"; }
nreq() { grep -c "$1" "$T/requests.log"; }

# client certificate auth
start_server "$T/demo.jsonl"
kc=$(kubeconfig kc-cert "    client-certificate-data: $(b64 "$PKI/client.crt")
    client-key-data: $(b64 "$PKI/client.key")")
live "$kc"
if same_as_offline "$T/live.json" && ! grep -qv ' cert$' "$T/requests.log"; then
	ok "client certificate: same findings, every request authenticated by certificate"
else
	notok "client certificate" "$(cat "$T/diff" "$T/live.err")"
fi

# paging: every list asked with limit=500; pods span pages when limit is small? count lists
kc=$(kubeconfig kc-token "$token_user")
live "$kc" -v
if grep -q 'limit=500' "$T/requests.log" && err_has "requests"; then
	ok "lists use limit=500; -v logs requests ($(wc -l < "$T/requests.log") requests for -A)"
else
	notok "paging / -v" "$(cat "$T/live.err")"
fi
# no credential in any output with -v
if grep -rqF -e "$TOKEN" -e "$(sed -n 2p "$PKI/client.key")" "$T/live.err" "$T/live.json"; then
	notok "-v output holds credential material"
else
	ok "-v output holds no token or key material"
fi
# User-Agent, Accept for secrets: checked through the request log? (server logs path only)
if grep -q '/api/v1/secrets' "$T/requests.log"; then
	ok "secrets listed (as PartialObjectMetadataList)"
else
	notok "secrets not listed"
fi
stop_server

# one named Ingress: requests and bytes
start_server "$T/demo.jsonl"
kc=$(kubeconfig kc-token "$token_user")
"$BIN" diagnose --kubeconfig "$kc" -n shop -o json -v > "$T/live.json" 2>"$T/live.err"
ns_req=$(wc -l < "$T/requests.log")
ns_stat=$(grep -o '[0-9]* requests ([0-9]* retries), [0-9]* bytes' "$T/live.err")
: > "$T/requests.log"
"$BIN" diagnose --kubeconfig "$kc" -n shop storefront -o json -v > "$T/live.json" 2>"$T/live.err"
one_req=$(wc -l < "$T/requests.log")
one_stat=$(grep -o '[0-9]* requests ([0-9]* retries), [0-9]* bytes' "$T/live.err")
echo "# diagnose -n shop: $ns_stat; diagnose -n shop storefront: $one_stat"
ns_bytes=$(grep -o '[0-9]* bytes' <<<"$ns_stat" | cut -d' ' -f1)
one_bytes=$(grep -o '[0-9]* bytes' <<<"$one_stat" | cut -d' ' -f1)
# the shop namespace is small: fewer bytes than reading it all, a few more requests
if [ "${one_bytes:-0}" -gt 0 ] && [ "$one_bytes" -lt "$((ns_bytes / 2))" ] &&
	[ "$one_req" -le $((ns_req + 8)) ] && err_has "named Ingress" &&
	[ "$(grep -c ': GET /' "$T/live.err")" -ge "$one_req" ] &&
	! grep -q -e '/namespaces/shop/pods?limit=500 ' -e '/api/v1/nodes?limit=500 ' \
		-e '/namespaces/shop/services?limit=500' -e '/namespaces/shop/events?limit=500 ' \
		-e '/services/' -e '/endpoints/' -e '/api/v1/nodes/' "$T/requests.log" &&
	[ "$(grep -vc '/log?' "$T/requests.log")" -le 16 ] &&
	grep -q '/namespaces/shop/services?limit=16 200' "$T/requests.log" &&
	grep -q '/namespaces/shop/endpoints?limit=16 200' "$T/requests.log" &&
	grep -q 'nodes?limit=500&labelSelector=kubernetes.io%2Fhostname%20in%20' "$T/requests.log" &&
	grep -q 'pods?limit=500&labelSelector=' "$T/requests.log" &&
	grep -q 'events?limit=500&fieldSelector=involvedObject.kind%3DPod' "$T/requests.log"; then
	ok "diagnose -n shop storefront fetches only what its paths need ($one_req requests, -v logs each)"
else
	notok "diagnose -n shop storefront: targeted fetch" "$(cat "$T/requests.log" "$T/live.err")"
fi
stop_server

# a targeted fetch that may not read Services: forbidden, never "missing"
start_server "$T/demo.jsonl" --fault forbid:services
kc=$(kubeconfig kc-token "$token_user")
"$BIN" diagnose --kubeconfig "$kc" shop/storefront -o json > "$T/live.json" 2>"$T/live.err"
rc=$?
if [ $rc -le 1 ] && err_has "services could not be read" && err_has "grant list on services" &&
	! jq -e '.findings[] | select(.id == "ingress-service-missing")' "$T/live.json" >/dev/null; then
	ok "diagnose NS/NAME with services forbidden: RBAC hint, no ingress-service-missing"
else
	notok "diagnose NS/NAME with services forbidden" "$(cat "$T/live.err"; jq -c '.findings[].id' "$T/live.json")"
fi
stop_server

# ---- faults ----

# 403 on pods: goes on, says what could not be read and the RBAC fix
start_server "$T/demo.jsonl" --fault forbid:pods
kc=$(kubeconfig kc-token "$token_user")
live "$kc"
if [ $rc -le 1 ] && err_has "pods could not be read" && err_has "grant list on pods"; then
	ok "403 on pods: diagnosis goes on, RBAC hint (exit $rc)"
else
	notok "403 on pods (exit $rc)" "$(cat "$T/live.err")"
fi
stop_server

# 401 once: token refresh not possible for a static token -> exit 3, one line
start_server "$T/demo.jsonl" --fault unauth
kc=$(kubeconfig kc-token "$token_user")
live "$kc"
if [ $rc = 3 ] && err_has "credentials refused (401 Unauthorized)" && [ "$(wc -l < "$T/live.err")" -le 2 ]; then
	ok "401: exit 3 with one line"
else
	notok "401 (exit $rc)" "$(cat "$T/live.err")"
fi
stop_server

# wrong token
start_server "$T/demo.jsonl"
kc=$(kubeconfig kc-bad "    token: wrong-token")
live "$kc"
if [ $rc = 3 ] && err_has "401"; then ok "bad token: exit 3"; else notok "bad token (exit $rc)" "$(cat "$T/live.err")"; fi
stop_server

# 429 with Retry-After, then success
start_server "$T/demo.jsonl" --fault 429:services:2
kc=$(kubeconfig kc-token "$token_user")
live "$kc"
if same_as_offline "$T/live.json" && [ "$(nreq ' 429 ')" = 2 ]; then
	ok "429 with Retry-After: retried, same findings"
else
	notok "429 (exit $rc)" "$(cat "$T/live.err" "$T/diff")"
fi
stop_server

# 500 twice, then success
start_server "$T/demo.jsonl" --fault 500:pods:2
kc=$(kubeconfig kc-token "$token_user")
live "$kc"
if same_as_offline "$T/live.json" && [ "$(nreq ' 500 ')" = 2 ]; then
	ok "500: retried with backoff, same findings"
else
	notok "500 (exit $rc)" "$(cat "$T/live.err" "$T/diff")"
fi
stop_server

# cut connection and truncated body, once each: retried
for f in cut:pods:1 truncate:services:1; do
	start_server "$T/demo.jsonl" --fault "$f"
	kc=$(kubeconfig kc-token "$token_user")
	live "$kc"
	if same_as_offline "$T/live.json"; then
		ok "fault $f: retried, same findings"
	else
		notok "fault $f (exit $rc)" "$(cat "$T/live.err" "$T/diff")"
	fi
	stop_server
done

# slow answers and --request-timeout
start_server "$T/demo.jsonl" --fault slow:3
kc=$(kubeconfig kc-token "$token_user")
live "$kc" --request-timeout 1s
if [ $rc = 3 ] && err_has "request-timeout"; then
	ok "slow server: --request-timeout 1s gives exit 3"
else
	notok "slow server (exit $rc)" "$(cat "$T/live.err")"
fi
stop_server

# wrong certificate
start_server "$T/demo.jsonl" --wrong-cert
kc=$(kubeconfig kc-token "$token_user")
live "$kc"
if [ $rc = 3 ] && err_has "TLS" && [ "$(wc -l < "$T/live.err")" -le 2 ]; then
	ok "wrong server certificate: exit 3, one line naming TLS"
else
	notok "wrong certificate (exit $rc)" "$(cat "$T/live.err")"
fi
stop_server

# unreachable server
kc=$(kubeconfig kc-token "$token_user")
sed -i "s#https://127.0.0.1:$PORT#https://127.0.0.1:1#" "$kc"
live "$kc"
if [ $rc = 3 ] && err_has "https://127.0.0.1:1" && err_has "hint"; then
	ok "unreachable server: exit 3, server and hint"
else
	notok "unreachable (exit $rc)" "$(cat "$T/live.err")"
fi

# ---- exec plugin: caching, 401 refresh ----
cat > "$T/plugin" <<EOF
#!/bin/sh
echo run >> "$T/plugin.runs"
n=\$(wc -l < "$T/plugin.runs")
tok=$TOKEN
[ -f "$T/plugin.badfirst" ] && [ "\$n" = 1 ] && tok=stale-token
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}\n' "\$tok"
EOF
chmod +x "$T/plugin"
start_server "$T/demo.jsonl"
kc=$(kubeconfig kc-exec "    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $T/plugin
      interactiveMode: Never")
rm -f "$T/plugin.runs"
live "$kc"
if same_as_offline "$T/live.json" && [ "$(wc -l < "$T/plugin.runs")" = 1 ]; then
	ok "exec plugin: run once for $(wc -l < "$T/requests.log") requests (cached)"
else
	notok "exec plugin caching (exit $rc)" "$(cat "$T/live.err" "$T/diff")"
fi
rm -f "$T/plugin.runs"
touch "$T/plugin.badfirst"
: > "$T/requests.log"
live "$kc"
if same_as_offline "$T/live.json" && [ "$(wc -l < "$T/plugin.runs")" = 2 ]; then
	ok "exec plugin: a 401 re-runs it once and the requests are retried"
else
	notok "exec plugin 401 refresh (exit $rc, runs $(wc -l < "$T/plugin.runs"))" "$(cat "$T/live.err" "$T/diff")"
fi
rm -f "$T/plugin.badfirst"
stop_server

# ---- snapshot, then diagnose --from it ----
start_server "$T/demo.jsonl"
kc=$(kubeconfig kc-token "$token_user")
"$BIN" snapshot --kubeconfig "$kc" -A -o "$T/snap" > /dev/null 2>"$T/live.err"
rc=$?
"$BIN" diagnose --from "$T/snap" -o json > "$T/snap.json" 2>>"$T/live.err"
perms=$(stat -c %a "$T/snap" "$T/snap"/*.json | sort -u | tr '\n' ' ')
if [ $rc = 0 ] && same_as_offline "$T/snap.json" && [ "$perms" = "600 700 " ] &&
	! grep -q '"data"' "$T/snap/secrets.json"; then
	ok "snapshot -o DIR: 0700/0600, no Secret data, diagnose --from DIR = live"
else
	notok "snapshot (exit $rc, perms $perms)" "$(cat "$T/live.err" "$T/diff")"
fi
# the controllers' pod logs: pods/log with container, tailLines, sinceSeconds
ctl_logs=$(find "$T/snap" -name logs.txt | sort)
first_log=$(head -1 <<<"$ctl_logs")
if [ -n "$first_log" ] &&
	grep -q '/pods/[a-z0-9-]*/log?container=controller&tailLines=10000&sinceSeconds=3600 200' \
		"$T/requests.log" &&
	[ "$(stat -c %a "$first_log" "$(dirname "$first_log")" | sort -u | tr '\n' ' ')" = "600 700 " ] &&
	grep -q "^$(basename "$(dirname "$(dirname "$first_log")")")/$(basename "$(dirname "$first_log")") controller: log line 20" "$first_log" &&
	grep -q "and $(wc -l <<<"$ctl_logs") controller log(s)" "$T/live.err"; then
	ok "snapshot: controller logs via pods/log ($(wc -l <<<"$ctl_logs") pods) into NS/POD/logs.txt"
else
	notok "snapshot: controller logs" "$ctl_logs$(grep /log "$T/requests.log"; cat "$T/live.err")"
fi
: > "$T/requests.log"
rm -rf "$T/snap2"
"$BIN" snapshot --kubeconfig "$kc" -n shop -o "$T/snap2" --log-since 5m --log-tail 3 > /dev/null 2>"$T/live.err"
first_log=$(find "$T/snap2" -name logs.txt | sort | head -1)
if [ -n "$first_log" ] && [ "$(wc -l < "$first_log")" = 3 ] &&
	grep -q '/log?container=controller&tailLines=3&sinceSeconds=300 200' "$T/requests.log"; then
	ok "snapshot --log-since 5m --log-tail 3: sinceSeconds=300, tailLines=3"
else
	notok "snapshot --log-since/--log-tail" "$(grep /log "$T/requests.log"; cat "$T/live.err")"
fi
stop_server

# 403 survives a snapshot
start_server "$T/demo.jsonl" --fault forbid:pods
kc=$(kubeconfig kc-token "$token_user")
"$BIN" snapshot --kubeconfig "$kc" -A -o "$T/snap403" > /dev/null 2>"$T/live.err"
live "$kc"
"$BIN" diagnose --from "$T/snap403" -o json > "$T/snap403.json" 2>/dev/null
if diff <(jq -S "$CMP" "$T/live.json") <(jq -S "$CMP" "$T/snap403.json") > "$T/diff"; then
	ok "snapshot with a forbidden kind: diagnose --from DIR = live"
else
	notok "snapshot with 403" "$(cat "$T/diff")"
fi
stop_server

# ---- live diagnose fetches the controller pods' logs and joins them ----
# The logs-pods-ready-not-serving scenario: its logs/ files served as the
# controller pod's pods/log; live must equal `diagnose --from SNAP --logs FILE`
# (the evidence cites NS/POD live, the file offline).
LS=$ROOT/tests/scenarios/logs-pods-ready-not-serving
CTL=ingress-nginx/ingress-nginx-controller-5c8d66c76d-x7k2p
cat "$LS"/logs/* > "$T/ctl.log"
# the cited name: the --logs file offline, NS/POD live
cite() { sed "s#$T/ctl.log:#$CTL:#g; s#$T/snapl/$CTL/logs.txt:#$CTL:#g" "$1" | jq -S "$CMP"; }
if dump "$LS/snapshot" "$T/ls.jsonl" &&
	start_server "$T/ls.jsonl" --pod-log "$CTL=$T/ctl.log"; then
	kc=$(kubeconfig kc-token "$token_user")
	"$BIN" diagnose --from "$LS/snapshot" --logs "$T/ctl.log" -o json > "$T/off.json" 2>/dev/null
	rc_off=$?
	"$BIN" diagnose --from "$LS/snapshot" -o json > "$T/off-nologs.json" 2>/dev/null
	rc_off0=$?
	live "$kc"
	if [ $rc = $rc_off ] && diff <(cite "$T/off.json") <(cite "$T/live.json") > "$T/diff" &&
		jq -e '.findings[] | select(.id == "pods-ready-not-serving")' "$T/live.json" >/dev/null &&
		grep -q "$CTL:[0-9]*: .*connect() failed" "$T/live.json" &&
		grep -q "/namespaces/${CTL%/*}/pods/${CTL#*/}/log?container=controller&tailLines=10000&sinceSeconds=3600 200" \
			"$T/requests.log" && [ "$(grep -c '/log?' "$T/requests.log")" = 1 ]; then
		ok "live diagnose joins the controller pod's log (pods/log): = --from SNAP --logs FILE, pods-ready-not-serving"
	else
		notok "live diagnose with controller logs (exit offline $rc_off, live $rc)" \
			"$(cat "$T/diff" "$T/live.err"; grep /log "$T/requests.log")"
	fi
	# a named Ingress (the targeted fetch) joins the log too
	"$BIN" diagnose --from "$LS/snapshot" --logs "$T/ctl.log" shop/web -o json > "$T/toff.json" 2>/dev/null
	"$BIN" diagnose --kubeconfig "$kc" shop/web -o json > "$T/tlive.json" 2>"$T/tlive.err"
	if diff <(cite "$T/toff.json") <(cite "$T/tlive.json") > "$T/diff" &&
		jq -e '.findings[] | select(.id == "pods-ready-not-serving")' "$T/tlive.json" >/dev/null; then
		ok "live diagnose shop/web (targeted) joins the controller log = offline"
	else
		notok "live diagnose shop/web with controller logs" "$(cat "$T/diff" "$T/tlive.err")"
	fi
	# snapshot saves the same log: diagnose --from it = live
	rm -rf "$T/snapl"
	"$BIN" snapshot --kubeconfig "$kc" -A -o "$T/snapl" > /dev/null 2>&1
	"$BIN" diagnose --from "$T/snapl" -o json > "$T/snapl.json" 2>/dev/null
	if diff <(cite "$T/snapl.json") <(cite "$T/live.json") > "$T/diff"; then
		ok "snapshot with the served log, then diagnose --from DIR = live diagnose"
	else
		notok "snapshot + diagnose --from DIR vs live with logs" "$(cat "$T/diff")"
	fi
	# --log-since / --log-tail are passed on; --no-logs fetches none
	: > "$T/requests.log"
	live "$kc" --log-since 90s --log-tail 5 -v
	if grep -q '/log?container=controller&tailLines=5&sinceSeconds=90 200' "$T/requests.log" &&
		err_has "read the logs of 1 of 1 controller pod(s)" &&
		! grep -qF -e "$TOKEN" "$T/live.err" "$T/live.json"; then
		ok "live --log-since 90s --log-tail 5: sinceSeconds=90, tailLines=5 (-v counts the logs)"
	else
		notok "live --log-since/--log-tail" "$(grep /log "$T/requests.log"; grep -v ': GET /' "$T/live.err")"
	fi
	: > "$T/requests.log"
	live "$kc" --no-logs
	if [ $rc = $rc_off0 ] && ! grep -q '/log' "$T/requests.log" &&
		diff <(jq -S "$CMP" "$T/off-nologs.json") <(jq -S "$CMP" "$T/live.json") > "$T/diff" &&
		! jq -e '.findings[] | select(.id == "pods-ready-not-serving")' "$T/live.json" >/dev/null; then
		ok "live --no-logs: no pods/log request, = offline without --logs"
	else
		notok "live --no-logs (exit $rc, offline $rc_off0)" "$(cat "$T/diff" "$T/live.err"; grep /log "$T/requests.log")"
	fi
	# bad values are usage errors; with --from the flags are ignored with a warning
	"$BIN" diagnose --kubeconfig "$kc" --log-tail -3 > /dev/null 2>"$T/live.err"
	rc=$?
	"$BIN" diagnose --from "$LS/snapshot" --no-logs -o json > /dev/null 2>"$T/off.err"
	if [ $rc = 2 ] && err_has "--log-tail" && grep -q 'no-logs is ignored with --from' "$T/off.err"; then
		ok "live log flags: --log-tail -3 is a usage error; --no-logs with --from warns"
	else
		notok "live log flags (exit $rc)" "$(cat "$T/live.err" "$T/off.err")"
	fi
	stop_server
else
	notok "logs scenario: server did not start" "$(cat "$T/dump.err" "$T/server.err")"
fi
# 403 on pods/log: a warning naming the RBAC rule, the diagnosis goes on without the log
if start_server "$T/ls.jsonl" --pod-log "$CTL=$T/ctl.log" --fault forbid:pods/log; then
	kc=$(kubeconfig kc-token "$token_user")
	live "$kc"
	if [ $rc = $rc_off0 ] && err_has "grant get on pods/log" && err_has "$CTL" &&
		diff <(jq -S "$CMP" "$T/off-nologs.json") <(jq -S "$CMP" "$T/live.json") > "$T/diff" &&
		grep -q '/log?.* 403 ' "$T/requests.log"; then
		ok "403 on pods/log: warning with the RBAC rule (get pods/log), diagnosis = without logs"
	else
		notok "403 on pods/log (exit $rc, offline $rc_off0)" "$(cat "$T/diff" "$T/live.err")"
	fi
	stop_server
fi

# ---- a namespace larger than the targeted read's page: the rest by name ----
mkdir -p "$T/bigdemo"
cp "$ROOT"/examples/demo/*.yaml "$T/bigdemo/"
for i in $(seq 1 20); do
	printf -- '---\napiVersion: v1\nkind: Service\nmetadata: {name: aa-extra-%s, namespace: shop}\nspec:\n  selector: {app: extra-%s}\n  ports: [{port: 80}]\n' "$i" "$i"
done > "$T/bigdemo/60-extra.yaml"
if dump "$T/bigdemo" "$T/big.jsonl" && start_server "$T/big.jsonl"; then
	kc=$(kubeconfig kc-token "$token_user")
	"$BIN" diagnose --from "$T/bigdemo" shop/storefront -o json > "$T/toff.json" 2>/dev/null
	"$BIN" diagnose --kubeconfig "$kc" shop/storefront -o json > "$T/tlive.json" 2>"$T/tlive.err"
	if diff <(jq -S "$CMP" "$T/toff.json") <(jq -S "$CMP" "$T/tlive.json") > "$T/diff" &&
		grep -q '/namespaces/shop/services?limit=16 200' "$T/requests.log" &&
		grep -q '/namespaces/shop/services/web 200' "$T/requests.log" &&
		! grep -q '/namespaces/shop/services?limit=500' "$T/requests.log"; then
		ok "targeted read of a namespace larger than its page: the Services not on it by name, = offline"
	else
		notok "targeted read, large namespace" "$(cat "$T/diff" "$T/tlive.err" "$T/requests.log")"
	fi
	stop_server
else
	notok "large namespace: server did not start" "$(cat "$T/dump.err" "$T/server.err")"
fi

# ---- kubectl's connection flags and the cluster fields, live ----
kc_flag_run() {   # ARGS...: diagnose -A -o json with flags only (no kubeconfig)
	env -u KUBECONFIG HOME="$T/nohome" "$BIN" diagnose -A -o json "$@" > "$T/live.json" 2>"$T/live.err"
	rc=$?
}
start_server "$T/demo.jsonl" --basic "alice:pw-$TOKEN"
# basic auth from the kubeconfig, and from --username/--password
kc=$(kubeconfig kc-basic "    username: alice
    password: pw-$TOKEN")
live "$kc" -v
if same_as_offline "$T/live.json" && ! grep -qv ' basic$' "$T/requests.log" &&
	! grep -qF "pw-$TOKEN" "$T/live.err" "$T/live.json"; then
	ok "basic auth (kubeconfig username/password): every request authenticated, password never shown"
else
	notok "basic auth" "$(cat "$T/live.err" "$T/diff"; head -3 "$T/requests.log")"
fi
: > "$T/requests.log"
kc_flag_run -s "https://127.0.0.1:$PORT" --certificate-authority "$PKI/ca.crt" --username alice \
	--password "pw-$TOKEN"
if same_as_offline "$T/live.json" && ! grep -qv ' basic$' "$T/requests.log"; then
	ok "--server --certificate-authority --username --password, without a kubeconfig"
else
	notok "--server/--username/--password (exit $rc)" "$(cat "$T/live.err" "$T/diff")"
fi
kc=$(kubeconfig kc-basic-bad "    username: alice
    password: wrong")
live "$kc"
if [ $rc = 3 ] && err_has "401"; then ok "basic auth with a wrong password: exit 3"; else notok "bad basic (exit $rc)" "$(cat "$T/live.err")"; fi
# --token overrides the kubeconfig user's; --token with basic auth is refused as kubectl does
: > "$T/requests.log"
kc=$(kubeconfig kc-badtok "    token: wrong-token")
live "$kc" --token "$TOKEN"
live_rc=$rc
"$BIN" diagnose --kubeconfig "$T/kc-basic" --token "$TOKEN" -A > /dev/null 2>"$T/both.err"
if [ $live_rc -le 1 ] && same_as_offline "$T/live.json" && ! grep -qv ' token$' "$T/requests.log" &&
	grep -q 'more than one authentication method' "$T/both.err"; then
	ok "--token overrides the kubeconfig's token; with basic auth it is refused (as kubectl)"
else
	notok "--token override (exit $live_rc)" "$(cat "$T/live.err" "$T/both.err")"
fi
# impersonation: kubeconfig as/as-groups, then --as/--as-group/--as-uid override
: > "$T/requests.log"
kc=$(kubeconfig kc-as "$token_user
    as: jane
    as-groups: [dev, ops]")
live "$kc"
imp_kc=$(grep -c ' token as=jane groups=dev,ops$' "$T/requests.log")
: > "$T/requests.log"
live "$kc" --as bob --as-group qa --as-uid u-42
imp_flag=$(grep -c ' token as=bob groups=qa uid=u-42$' "$T/requests.log")
"$BIN" diagnose --kubeconfig "$T/kc-token" --as-group qa -A > /dev/null 2>"$T/as.err"
as_rc=$?
if [ "$imp_kc" -gt 5 ] && [ "$imp_flag" = "$(wc -l < "$T/requests.log")" ] && [ $as_rc = 2 ] &&
	grep -q 'need --as' "$T/as.err"; then
	ok "impersonation: Impersonate-User/-Group/-Uid from the kubeconfig and --as/--as-group/--as-uid; --as-group alone refused"
else
	notok "impersonation ($imp_kc, $imp_flag, exit $as_rc)" "$(head -3 "$T/requests.log"; cat "$T/as.err")"
fi
# --cluster/--user pick other kubeconfig entries than the context's
printf '%s\n' "apiVersion: v1" "kind: Config" "current-context: test" "clusters:" \
	"- name: test" \
	"  cluster: {server: \"https://127.0.0.1:1\", certificate-authority-data: $(b64 "$PKI/ca.crt")}" \
	"- name: good" \
	"  cluster: {server: \"https://127.0.0.1:$PORT\", certificate-authority-data: $(b64 "$PKI/ca.crt")}" \
	"users:" "- name: test" "  user: {token: wrong-token}" "- name: good" "  user: {token: $TOKEN}" \
	"contexts:" "- name: test" "  context: {cluster: test, user: test}" > "$T/kc-multi"
live "$T/kc-multi" --cluster good --user good
if [ $rc -le 1 ] && same_as_offline "$T/live.json"; then
	ok "--cluster/--user override the context's cluster and user"
else
	notok "--cluster/--user (exit $rc)" "$(cat "$T/live.err")"
fi
# -s/--server overrides the kubeconfig's server
live "$T/kc-multi" --user good -s "https://127.0.0.1:$PORT"
if [ $rc -le 1 ] && same_as_offline "$T/live.json"; then ok "-s/--server overrides the context cluster's server"; else notok "--server override (exit $rc)" "$(cat "$T/live.err")"; fi
# insecure-skip-tls-verify: works (the certificate is not checked) and warns
live "$T/kc-multi" --user good -s "https://127.0.0.1:$PORT" --insecure-skip-tls-verify
if [ $rc -le 1 ] && same_as_offline "$T/live.json" && err_has "insecure-skip-tls-verify is set"; then
	ok "--insecure-skip-tls-verify: reads the cluster and warns"
else
	notok "--insecure-skip-tls-verify (exit $rc)" "$(cat "$T/live.err")"
fi
kc=$(kubeconfig kc-insecure "$token_user")
sed -i "s#certificate-authority-data: .*#insecure-skip-tls-verify: true#" "$kc"
live "$kc"
if [ $rc -le 1 ] && same_as_offline "$T/live.json" && err_has "insecure-skip-tls-verify is set"; then
	ok "kubeconfig insecure-skip-tls-verify: reads the cluster and warns"
else
	notok "kubeconfig insecure-skip-tls-verify (exit $rc)" "$(cat "$T/live.err")"
fi
# tls-server-name: the certificate names kubernetes.default, not the address dialled
kc=$(kubeconfig kc-sni "$token_user")
sed -i "s#    server: https://127.0.0.1:$PORT#    server: https://localhost:$PORT\n    tls-server-name: kubernetes.default#" "$kc"
live "$kc"
sni_rc=$rc
sed -i "s#tls-server-name: kubernetes.default#tls-server-name: other.example#" "$kc"
live "$kc"
if [ $sni_rc -le 1 ] && [ $rc = 3 ] && err_has "other.example"; then
	ok "tls-server-name: the certificate is checked against it (right name works, wrong name: exit 3)"
else
	notok "tls-server-name (exit $sni_rc, $rc)" "$(cat "$T/live.err")"
fi
kc_flag_run -s "https://localhost:$PORT" --certificate-authority "$PKI/ca.crt" --token "$TOKEN" \
	--tls-server-name kubernetes.default
if [ $rc -le 1 ] && same_as_offline "$T/live.json"; then ok "--tls-server-name"; else notok "--tls-server-name (exit $rc)" "$(cat "$T/live.err")"; fi
# proxy-url: every request through a CONNECT proxy (kubeconfig field, then --proxy-url)
rm -f "$T/proxy.port" "$T/proxy.log"
python3 "$ROOT/tests/apiserver/connect_proxy.py" --log "$T/proxy.log" --port-file "$T/proxy.port" 2>"$T/proxy.err" &
PROXY_PID=$!
lib_track "$PROXY_PID"
wait_file -s "$T/proxy.port" "$PROXY_PID"
PPORT=$(cat "$T/proxy.port" 2>/dev/null)
kc=$(kubeconfig kc-proxy "$token_user")
sed -i "s#    server: https://127.0.0.1:$PORT#&\n    proxy-url: http://127.0.0.1:$PPORT#" "$kc"
live "$kc"
proxied=$(grep -c "^CONNECT 127.0.0.1:$PORT\$" "$T/proxy.log" 2>/dev/null)
: > "$T/proxy.log"
kc=$(kubeconfig kc-token "$token_user")
live "$kc" --proxy-url "http://127.0.0.1:$PPORT"
proxied_flag=$(grep -c "^CONNECT 127.0.0.1:$PORT\$" "$T/proxy.log" 2>/dev/null)
if [ $rc -le 1 ] && same_as_offline "$T/live.json" && [ "${proxied:-0}" -ge 1 ] &&
	[ "${proxied_flag:-0}" -ge 1 ]; then
	ok "proxy-url (kubeconfig and --proxy-url): tunnelled through the CONNECT proxy ($proxied, $proxied_flag tunnels)"
else
	notok "proxy-url (exit $rc, tunnels ${proxied:-0}/${proxied_flag:-0})" "$(cat "$T/live.err" "$T/proxy.err")"
fi
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null
lib_untrack "$PROXY_PID"
# in-cluster: KUBERNETES_SERVICE_HOST/PORT and the service account files, in a
# private mount namespace (a tmpfs over /run, so nothing is created on the host)
mkdir -p "$T/sa"
cp "$PKI/ca.crt" "$T/sa/ca.crt"
printf '%s' "$TOKEN" > "$T/sa/token"
printf 'shop\n' > "$T/sa/namespace"
RUNDIR=$(readlink -f /var/run)
if unshare -rm sh -c 'mount -t tmpfs tmpfs "$1"' sh "$RUNDIR" 2>/dev/null; then
	: > "$T/requests.log"
	unshare -rm sh -c 'mount -t tmpfs tmpfs "$1" && mkdir -p "$1/secrets/kubernetes.io/serviceaccount" &&
		mount --bind "$2" "$1/secrets/kubernetes.io/serviceaccount" && shift 2 && exec "$@"' \
		sh "$RUNDIR" "$T/sa" env -u KUBECONFIG HOME="$T/nohome" KUBERNETES_SERVICE_HOST=127.0.0.1 \
		KUBERNETES_SERVICE_PORT="$PORT" "$BIN" diagnose -o json -v > "$T/live.json" 2>"$T/live.err"
	rc=$?
	"$BIN" diagnose --from "$DEMO" -n shop -o json > "$T/off-shop.json" 2>/dev/null
	if [ $rc -le 1 ] && grep -q 'cluster in-cluster' "$T/live.err" &&
		diff <(jq -S "$CMP" "$T/off-shop.json") <(jq -S "$CMP" "$T/live.json") > "$T/diff" &&
		! grep -qv ' token$' "$T/requests.log" && grep -q '/namespaces/shop/' "$T/requests.log"; then
		ok "in-cluster configuration (service account token, CA, namespace shop) = offline -n shop"
	else
		notok "in-cluster (exit $rc)" "$(cat "$T/diff" "$T/live.err" | head -20)"
	fi
else
	echo "ok - # SKIP in-cluster configuration: unshare -rm (a private mount namespace) is not permitted here"
fi
stop_server

# ---- discovery forbidden: v1 first, legacy versions on 404 ----
LEG=$ROOT/tests/scenarios/format-legacy-ingress
if dump "$LEG/snapshot" "$T/leg.jsonl"; then
	"$BIN" diagnose --from "$LEG/snapshot" -o json > "$T/off.json" 2>/dev/null
	rc_off=$?
	for f in "" "--fault forbid:apis"; do
		# shellcheck disable=SC2086
		start_server "$T/leg.jsonl" --old-cluster $f
		kc=$(kubeconfig kc-token "$token_user")
		live "$kc"
		if [ $rc = $rc_off ] && diff <(jq -S "$CMP" "$T/off.json") <(jq -S "$CMP" "$T/live.json") > "$T/diff" &&
			grep -q '/apis/networking.k8s.io/v1/ingresses?limit=500 404' "$T/requests.log" &&
			grep -q '/apis/extensions/v1beta1/ingresses?limit=500 200' "$T/requests.log"; then
			ok "old cluster${f:+ with /apis forbidden}: Ingress v1 404 -> legacy version read, = offline"
		else
			notok "old cluster $f (exit $rc, offline $rc_off)" "$(cat "$T/diff" "$T/live.err"; grep ingresses "$T/requests.log")"
		fi
		stop_server
	done
else
	notok "legacy scenario: dump" "$(cat "$T/dump.err")"
fi
start_server "$T/demo.jsonl" --fault forbid:apis
kc=$(kubeconfig kc-token "$token_user")
live "$kc"
if [ $rc -le 1 ] && same_as_offline "$T/live.json" && grep -q '^GET /apis 403' "$T/requests.log"; then
	ok "/apis forbidden on a current cluster: v1 assumed, same findings"
else
	notok "/apis forbidden (exit $rc)" "$(cat "$T/diff" "$T/live.err")"
fi
stop_server

# ---- --logs FILE on a live run replaces the controller pods' logs ----
if start_server "$T/ls.jsonl"; then
	kc=$(kubeconfig kc-token "$token_user")
	: > "$T/requests.log"
	"$BIN" diagnose --kubeconfig "$kc" -A --logs "$T/ctl.log" -o json > "$T/live.json" 2>"$T/live.err"
	rc=$?
	"$BIN" diagnose --from "$LS/snapshot" --logs "$T/ctl.log" -o json > "$T/off.json" 2>/dev/null
	rc_off=$?
	if [ $rc = $rc_off ] && diff <(jq -S "$CMP" "$T/off.json") <(jq -S "$CMP" "$T/live.json") > "$T/diff" &&
		! grep -q '/log?' "$T/requests.log" &&
		grep -q "replace the controller pods' logs" "$T/live.json"; then
		ok "live --logs FILE: used instead of pods/log (a note says so), = --from SNAP --logs FILE"
	else
		notok "live --logs (exit $rc, offline $rc_off)" "$(cat "$T/diff" "$T/live.err")"
	fi
	stop_server
fi
# pods/log sinceSeconds: lines older than the window (by their own timestamps) are not served
if start_server "$T/ls.jsonl" --pod-log "$CTL=$T/ctl.log"; then
	kc=$(kubeconfig kc-token "$token_user")
	all=$(wc -l < "$T/ctl.log")
	"$BIN" snapshot --kubeconfig "$kc" -A -o "$T/snap-since" --log-since 0 > /dev/null 2>&1
	"$BIN" snapshot --kubeconfig "$kc" -A -o "$T/snap-since1" --log-since 1s > /dev/null 2>&1
	n0=$(cat "$T/snap-since/$CTL/logs.txt" 2>/dev/null | wc -l)
	n1=$(cat "$T/snap-since1/$CTL/logs.txt" 2>/dev/null | wc -l)
	if [ "$n0" = "$all" ] && [ "$n1" -lt "$all" ]; then
		ok "pods/log sinceSeconds honoured by the test server ($n0 lines without, $n1 with --log-since 1s)"
	else
		notok "pods/log sinceSeconds ($n0/$all, $n1)" "$(grep /log "$T/requests.log")"
	fi
	stop_server
fi

# ---- kubectl against the test server (proves it faithful) ----
if command -v kubectl >/dev/null; then
	start_server "$T/demo.jsonl"
	kc=$(kubeconfig kc-kubectl "$token_user")
	k() { kubectl --kubeconfig "$kc" --cache-dir "$T/kcache" "$@"; }
	for r in pods services endpointslices ingresses ingressclasses nodes events; do
		if k get "$r" -A -o json > "$T/k.json" 2>"$T/k.err" && jq -e '.items' "$T/k.json" >/dev/null; then
			ok "kubectl get $r -A -o json ($(jq '.items | length' "$T/k.json") items)"
		else
			notok "kubectl get $r" "$(cat "$T/k.err")"
		fi
	done
	# short names come from discovery, as with kube-apiserver
	n_short=$(k get svc,ing,ep -A -o name 2>"$T/k.err" | wc -l)
	n_long=$(k get services,ingresses,endpoints -A -o name | wc -l)
	if [ "$n_short" -gt 0 ] && [ "$n_short" = "$n_long" ]; then
		ok "kubectl get svc,ing,ep (short names, $n_short objects)"
	else
		notok "kubectl short names ($n_short vs $n_long)" "$(cat "$T/k.err")"
	fi
	n_all=$(k get pods -A -o json | jq '.items | length')
	n_chunk=$(k get pods -A -o json --chunk-size 2 | jq '.items | length')
	if [ -n "$n_all" ] && [ "$n_all" = "$n_chunk" ] && grep 'limit=2' "$T/requests.log" | grep -q 'continue=' ; then
		ok "kubectl --chunk-size 2 pages with continue ($n_chunk pods)"
	else
		notok "kubectl --chunk-size ($n_all vs $n_chunk)"
	fi
	pod=$(k get pods -A -o json | jq -r '.items[0] | "\(.metadata.namespace) \(.metadata.name)"')
	ns=${pod% *}; pn=${pod#* }
	sel=$(k get pods -n "$ns" "$pn" -o json | jq -r '.metadata.labels | to_entries[0] | "\(.key)=\(.value)"')
	if k get pods -n "$ns" -l "$sel" -o name 2>"$T/k.err" | grep -q "pod/$pn"; then
		ok "kubectl get -l $sel"
	else
		notok "kubectl label selector" "$(cat "$T/k.err")"
	fi
	node=$(k get pods -n "$ns" "$pn" -o jsonpath='{.spec.nodeName}')
	if [ -n "$node" ] && k get pods -A --field-selector "spec.nodeName=$node" -o name | grep -q "pod/$pn"; then
		ok "kubectl get --field-selector spec.nodeName=$node"
	else
		notok "kubectl field selector"
	fi
	if k get events -A --field-selector involvedObject.kind=Pod -o json | jq -e '.items | all(.involvedObject.kind == "Pod")' >/dev/null; then
		ok "kubectl get events --field-selector involvedObject.kind=Pod"
	else
		notok "kubectl events field selector"
	fi
	ctr=$(k get pods -n "$ns" "$pn" -o jsonpath='{.spec.containers[0].name}')
	if k logs -n "$ns" "$pn" -c "$ctr" --tail 3 2>"$T/k.err" | wc -l | grep -q '^3$'; then
		ok "kubectl logs --tail 3"
	else
		notok "kubectl logs" "$(cat "$T/k.err")"
	fi
	# v1beta1: every kubectl since 1.11 speaks it (Debian 12's kubernetes-client
	# is 1.20, which predates exec v1 and interactiveMode)
	sed 's|client.authentication.k8s.io/v1"|client.authentication.k8s.io/v1beta1"|' \
		"$T/plugin" > "$T/plugin-b1"
	chmod +x "$T/plugin-b1"
	kce=$(kubeconfig kc-kexec "    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: $T/plugin-b1")
	if kubectl --kubeconfig "$kce" --cache-dir "$T/kcache" get nodes -o name > /dev/null 2>"$T/k.err"; then
		ok "kubectl with the exec-plugin kubeconfig"
	else
		notok "kubectl exec plugin" "$(cat "$T/k.err")"
	fi
	if k get pods -A --field-selector spec.bogus=x 2>&1 | grep -q 'field label not supported'; then
		ok "kubectl: unsupported field selector gives the API's 400 message"
	else
		notok "kubectl bad field selector"
	fi
	stop_server
else
	echo "ok - # SKIP kubectl not installed (Debian: kubernetes-client)"
fi

finish
