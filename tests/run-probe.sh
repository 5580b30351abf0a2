#!/bin/bash
# run-probe.sh: `ingress-doctor probe` through the test API server's proxy
# subresources (tests/apiserver/proxy_routes.py), which forward for real to
# the backends of tests/probe/backends.c on loopback addresses.
#
#   tests/run-probe.sh BIN
#
# One case per way a pod fails (refused, connect timeout, slow answer,
# reset, close without answer, TLS-only pod asked in plain HTTP, plain pod
# asked in TLS, the app's 503, a pod that accepts and stays silent), each with its Ingress, Service,
# EndpointSlice and Pod; each case must make its id fire on the Pod (and
# the Service port), and the healthy twins (200, TLS asked in TLS, the
# app's own 403, a slow pod within the timeout) stay silent. Also: -o json
# checked with jq, a pod reached from two Ingresses probed once, 403 on
# pods/proxy (the RBAC rule named), controller logs that show refusals for
# a pod that answers, Ctrl-C mid-run exits 130 quickly, usage errors, and
# no token in any output with -v; a silent pod is a timeout naming both
# readings below the API server's 30 s dial timeout and no-answer past it
# (--timeout 31, run in the background); kubectl's --token and -s.
# Needs: python3, openssl, jq, cc with libssl (builds the backends and
# tests/apiserver/dump_objects).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib/apiserver.sh
. "$ROOT/tests/lib/apiserver.sh"
lib_setup id-probe "BIN" "$@"
PKI=$T
NOTOK_LINES=30
BG_PID=""

need_tools python3 openssl jq cc

# ---- build: backends, the object dumper ----
if ! cc -std=c17 -D_GNU_SOURCE -O1 -o "$T/backends" "$ROOT/tests/probe/backends.c" \
	-lssl -lcrypto -lpthread 2>"$T/cc.err"; then
	bail "build tests/probe/backends" "$(cat "$T/cc.err")"
fi
build_dump_objects || bail "build dump_objects" "$(cat "$T/cc.err")"

# ---- certificates: the API server's, and the TLS pods' ----
{ make_certs && make_selfsigned pod pod; } || bail "generate certificates" "$(cat "$T/openssl.log")"

# ---- the backends: NAME MODE IP [backend-protocol] ----
CASES="ok:ok:127.0.0.2:
refused:refused:127.0.0.3:
full:full:127.0.0.4:
slow:slow:127.0.0.5:
reset:reset:127.0.0.6:
close:close:127.0.0.7:
tlsonly:tls:127.0.0.8:
plainhttps:ok:127.0.0.9:HTTPS
tlsok:tls:127.0.0.10:HTTPS
e503:e503:127.0.0.11:
e403:e403:127.0.0.12:
silent:silent:127.0.0.13:"
specs=()
while IFS=: read -r name mode ip _; do
	specs+=("$name=$mode@$ip")
done <<<"$CASES"
"$T/backends" "$T/ports" --cert "$T/pod.crt" --key "$T/pod.key" "${specs[@]}" \
	2>"$T/backends.err" &
lib_track $!
wait_file -s "$T/ports" $! || bail "start the backends" "$(cat "$T/backends.err")"
port_of() { awk -v n="$1" '$1 == n { print $2 }' "$T/ports"; }

# ---- the cluster: base.yaml plus one set of objects per case ----
objs() { # NAME IP PORT PROTO N
	local name=$1 ip=$2 port=$3 proto=$4 n=$5 ann=""
	[ -n "$proto" ] && ann="annotations: {nginx.ingress.kubernetes.io/backend-protocol: $proto}"
	cat <<EOF
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: $name
  namespace: shop
  uid: 9b000000-0000-4000-8000-0000000001$n
  creationTimestamp: "2026-11-02T10:00:00Z"
  $ann
spec:
  ingressClassName: nginx
  rules:
  - host: $name.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: $name, port: {number: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {name: $name, namespace: shop, uid: 9b000000-0000-4000-8000-0000000002$n, creationTimestamp: "2026-11-02T10:00:00Z"}
spec:
  type: ClusterIP
  clusterIP: 10.96.0.$((100 + 10#$n))
  selector: {app: $name}
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: $name-abcde
  namespace: shop
  uid: 9b000000-0000-4000-8000-0000000003$n
  creationTimestamp: "2026-11-02T10:00:00Z"
  labels: {kubernetes.io/service-name: $name, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}
addressType: IPv4
ports: [{name: http, port: $port, protocol: TCP}]
endpoints:
- addresses: [$ip]
  conditions: {ready: true, serving: true, terminating: false}
  nodeName: node-1
  targetRef: {kind: Pod, namespace: shop, name: $name-0}
---
apiVersion: v1
kind: Pod
metadata:
  name: $name-0
  namespace: shop
  uid: 9b000000-0000-4000-8000-0000000004$n
  creationTimestamp: "2026-11-02T10:00:00Z"
  labels: {app: $name}
spec:
  nodeName: node-1
  containers:
  - name: app
    image: example/app:1.0
    ports: [{name: http, containerPort: $port, protocol: TCP}]
    readinessProbe: {httpGet: {path: /healthz, port: http}}
    resources: {requests: {memory: 64Mi}, limits: {memory: 128Mi}}
status:
  phase: Running
  podIP: $ip
  podIPs: [{ip: $ip}]
  hostIP: 10.0.0.1
  startTime: "2026-11-02T10:00:00Z"
  conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-11-02T10:00:05Z"}]
  containerStatuses:
  - {name: app, ready: true, started: true, restartCount: 0, image: example/app:1.0, state: {running: {startedAt: "2026-11-02T10:00:01Z"}}}
EOF
}
mkdir -p "$T/snap"
{
	cat "$ROOT/tests/probe/base.yaml"
	n=10
	while IFS=: read -r name mode ip proto; do
		objs "$name" "$ip" "$(port_of "$name")" "$proto" "$n"
		n=$((n + 1))
	done <<<"$CASES"
	# a second Ingress to Service ok: the pod is probed once, for both
	cat <<EOF
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ok-b, namespace: shop, uid: 9b000000-0000-4000-8000-000000000199, creationTimestamp: "2026-11-02T10:00:00Z"}
spec:
  ingressClassName: nginx
  rules:
  - host: ok-b.example.com
    http:
      paths:
      - {path: /b, pathType: Prefix, backend: {service: {name: ok, port: {name: http}}}}
EOF
} > "$T/snap/cluster.yaml"
if ! "$T/dump_objects" "$T/snap" > "$T/objects.jsonl" 2>"$T/dump.err"; then
	notok "dump the cluster" "$(cat "$T/dump.err")"
	finish
fi

# the controller's log: refusals for pod ok-0 (it answers the probe: the
# cause is between the controller and the pod), none for the others
OKP=$(port_of ok)
for i in 1 2 3; do
	echo "2026/11/02 10:0$i:00 [error] 31#31: *$i connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.50, server: ok.example.com, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.2:$OKP/\", host: \"ok.example.com\""
done > "$T/controller.log"

# start_server [--fault F]...: the server on the cluster, $T/kubeconfig for it
start_server() {
	ID_PROXY_DIAL_TIMEOUT=1.5 apiserver_start "$T/objects.jsonl" \
		--pod-log "ingress-nginx/ingress-nginx-controller-5c8d66c76d-x7k2p=$T/controller.log" \
		"$@" || return 1
	PORT=$SRV_PORT
	kubeconfig_write "$T/kubeconfig" "https://127.0.0.1:$PORT" "    token: $TOKEN" shop
}
stop_server() { apiserver_stop; }

# probe ARGS... -> $T/out, $T/err, $RC
probe() {
	"$BIN" probe --kubeconfig "$T/kubeconfig" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

start_server || { notok "start the test API server" "$(cat "$T/server.err")"; finish; }

# a silent pod past kube-apiserver's 30 s dial timeout: no-answer (checked below)
"$BIN" probe --kubeconfig "$T/kubeconfig" -n shop silent --timeout 31 --no-logs -o json \
	>"$T/bg.out" 2>"$T/bg.err" &
BG_PID=$!
lib_track "$BG_PID"

# ---- each case: its id fires on the Pod and the Service; the outcome ----
# NAME ID OUTCOME TIMEOUT
while read -r name id outcome timeout; do
	probe -n shop "$name" --timeout "$timeout" --no-logs -o json
	pod_ids=$(jq -r --arg p "$name-0" '[.findings[] | select(.kind == "Pod" and .name == $p) | .id] | unique | join(",")' "$T/out" 2>/dev/null)
	svc_ids=$(jq -r --arg s "$name" '[.findings[] | select(.kind == "Service" and .name == $s) | .id] | unique | join(",")' "$T/out" 2>/dev/null)
	got=$(jq -r --arg p "$name-0" '.probes[] | select(.pod == $p) | .outcome' "$T/out" 2>/dev/null)
	want_rc=1
	[ "$id" = connect-http-error ] && want_rc=0
	if [ "$pod_ids" = "$id" ] && [ "$svc_ids" = "$id" ] && [ "$got" = "$outcome" ] && [ "$RC" = "$want_rc" ]; then
		ok "case $name: $id on Pod and Service, outcome $outcome, exit $RC"
	else
		notok "case $name: want $id/$outcome exit $want_rc, got pod [$pod_ids] service [$svc_ids] outcome [$got] exit $RC" "$(cat "$T/out" "$T/err")"
	fi
done <<EOF
refused connect-refused refused 5
full connect-timeout timeout 5
slow connect-timeout timeout 1
reset connect-http-error reset 5
close connect-http-error reset 5
tlsonly connect-http-error not-http 5
plainhttps connect-http-error not-http 5
e503 connect-http-error http-error 5
silent connect-timeout timeout 1
EOF

# a silent pod within the dial timeout: a timeout, but not worded as a connect timeout
probe -n shop silent --timeout 2 --no-logs -o json
if jq -e '.findings[] | select(.id == "connect-timeout" and .kind == "Pod")
	| (.message | test("either connecting to it hangs or it accepted and does not answer"))
	and (.message | test("timed out or found no route") | not)
	and (.fix | test("--timeout"))' "$T/out" >/dev/null &&
	jq -e '.probes[] | select(.pod == "silent-0") | .detail | test("30 s dial timeout")' "$T/out" >/dev/null; then
	ok "silent pod, --timeout 2: a timeout naming both readings (the API server's 30 s dial timeout)"
else
	notok "silent pod, --timeout 2: wording" "$(cat "$T/out" "$T/err")"
fi
# the full backlog: the API server's own dial timeout speaks, a plain connect timeout
probe -n shop full --no-logs -o json
if jq -e '.findings[] | select(.id == "connect-timeout" and .kind == "Pod") | .message | test("timed out or found no route")' "$T/out" >/dev/null; then
	ok "the API server's dial timeout: a connect timeout"
else
	notok "the API server's dial timeout: wording" "$(cat "$T/out")"
fi

# the words of the API server, as kube-apiserver's proxy says them
probe -n shop refused full plainhttps --no-logs -o json
det() { jq -r --arg p "$1" '.probes[] | select(.pod == $p) | .detail' "$T/out"; }
if [[ "$(det refused-0)" == "dial tcp 127.0.0.3:$(port_of refused): connect: connection refused" ]] &&
	[[ "$(det full-0)" == "dial tcp 127.0.0.4:$(port_of full): i/o timeout" ]] &&
	[[ "$(det plainhttps-0)" == "http: server gave HTTP response to HTTPS client" ]]; then
	ok "details quote the API server's proxy error"
else
	notok "details quote the API server's proxy error" "$(jq -c '.probes[] | [.pod, .detail]' "$T/out")"
fi
if jq -e '.findings[] | select(.id == "connect-refused" and .kind == "Pod") | .message | test("Ready but")' "$T/out" >/dev/null &&
	jq -e '.findings[] | select(.id == "connect-refused" and .kind == "Pod") | .evidence | map(test("containers declare app [0-9]+/TCP \\(http\\)")) | any' "$T/out" >/dev/null; then
	ok "a Ready pod that refuses is 'Ready but not serving', with its declared ports"
else
	notok "a Ready pod that refuses is 'Ready but not serving'" "$(cat "$T/out")"
fi

# ---- healthy twins: silent ----
while read -r name timeout; do
	probe -n shop "$name" --timeout "$timeout" --no-logs -o json
	n=$(jq '.findings | length' "$T/out" 2>/dev/null)
	outs=$(jq -r '[.probes[].outcome] | unique | join(",")' "$T/out" 2>/dev/null)
	if [ "$RC" = 0 ] && [ "$n" = 0 ] && [ "$outs" = ok ]; then
		ok "healthy twin $name: no finding, every probe ok"
	else
		notok "healthy twin $name: want silent, got $n finding(s), outcomes [$outs], exit $RC" "$(cat "$T/out" "$T/err")"
	fi
done <<EOF
ok 5
tlsok 5
e403 5
slow 5
EOF
probe -n shop e403 --no-logs -o json
if [ "$(jq -r '.probes[] | select(.pod == "e403-0") | .httpStatus' "$T/out")" = 403 ]; then
	ok "the app's own 403 is the app's answer, not a missing permission"
else
	notok "the app's own 403" "$(cat "$T/out")"
fi

# ---- JSON shape, paths, readiness path, dedup ----
probe -n shop ok ok-b --no-logs -o json
if jq -e '(.findings | type == "array") and (.summary.errors == 0) and (.probes | length == 2)
	and ([.probes[] | select(.kind == "Pod")] | length == 1)
	and (.probes[] | select(.kind == "Pod") | .ingresses == ["shop/ok", "shop/ok-b"]
		and .httpPath == "/healthz" and .tls == false and .ready == true and (.ms | type == "number")
		and .ip == "127.0.0.2")
	and (.probes[] | select(.kind == "Service") | .service == "ok" and .servicePort == 80)' "$T/out" >/dev/null; then
	ok "-o json: probes array; a pod reached from two Ingresses probed once; readiness path"
else
	notok "-o json shape and dedup" "$(cat "$T/out")"
fi
if grep -q "GET /api/v1/namespaces/shop/pods/ok-0:$OKP/proxy/healthz 200" "$T/requests.log" &&
	grep -q "GET /api/v1/namespaces/shop/services/ok:http/proxy/healthz 200" "$T/requests.log"; then
	ok "requests: pods/NAME:PORT/proxy/PATH and services/NAME:PORTNAME/proxy/PATH"
else
	notok "request paths" "$(cat "$T/requests.log")"
fi
probe -n shop tlsok --no-logs -o json
if grep -q "GET /api/v1/namespaces/shop/pods/https:tlsok-0:$(port_of tlsok)/proxy/healthz 200" "$T/requests.log"; then
	ok "backend-protocol HTTPS: pods/https:NAME:PORT"
else
	notok "https scheme in the proxy path" "$(cat "$T/requests.log")"
fi

# ---- text output ----
probe -n shop refused ok --no-logs
if [ "$RC" = 1 ] && grep -q "refused-0" "$T/out" && grep -Eq "pod refused-0 +127\.0\.0\.3:[0-9]+ +refused" "$T/out" &&
	grep -q "connect-refused  Pod shop/refused-0" "$T/out" && grep -q "fix: " "$T/out" &&
	grep -q "run: kubectl" "$T/out"; then
	ok "text: one line per target, then the findings with fix and commands"
else
	notok "text output" "$(cat "$T/out" "$T/err")"
fi

# ---- controller logs: refusals for a pod that answers ----
probe -n shop ok -o json
if [ "$RC" = 1 ] && jq -e '.findings[] | select(.id == "upstream-connect-refused" and .name == "ok-0")
	| .message | test("between the controller and the pod")' "$T/out" >/dev/null; then
	ok "logs show refusals for a pod that answers: the cause is between controller and pod"
else
	notok "logs vs probe" "$(cat "$T/out" "$T/err")"
fi
probe -n shop e403 -o json
if [ "$RC" = 0 ] && [ "$(jq '.findings | length' "$T/out")" = 0 ]; then
	ok "logs without refusals for the pod: silent"
else
	notok "logs twin" "$(cat "$T/out" "$T/err")"
fi

# ---- the silent pod past the dial timeout (started in the background) ----
wait "$BG_PID"
RC=$?
lib_untrack "$BG_PID"
SP=$(port_of silent)
if [ "$RC" = 0 ] &&
	[ "$(jq -r '.probes[] | select(.pod == "silent-0") | .outcome' "$T/bg.out")" = no-answer ] &&
	jq -e --arg ev "connected to 127.0.0.13:$SP, no HTTP answer within 31 s" '.findings[]
	| select(.id == "connect-http-error" and .kind == "Pod" and .name == "silent-0")
	| .severity == "warning" and (.evidence | index($ev) != null)
	and (.fix | test("hangs")) and (.fix | test("backend-protocol"))' "$T/bg.out" >/dev/null &&
	[ "$(jq '[.findings[] | select(.id == "connect-timeout")] | length' "$T/bg.out")" = 0 ]; then
	ok "silent pod, --timeout 31: no-answer, connect-http-error 'connected to IP:PORT, no HTTP answer within 31 s'"
else
	notok "silent pod, --timeout 31: want no-answer, exit 0; got exit $RC" "$(cat "$T/bg.out" "$T/bg.err")"
fi

# ---- kubectl's connection flags ----
sed "s/token: $TOKEN/token: wrong-token/" "$T/kubeconfig" > "$T/kubeconfig.badtoken"
sed "s|server: https://127.0.0.1:$PORT|server: https://127.0.0.1:1|" "$T/kubeconfig" > "$T/kubeconfig.badserver"
"$BIN" probe --kubeconfig "$T/kubeconfig.badtoken" -n shop ok --no-logs >"$T/out" 2>"$T/err"
RC=$?
"$BIN" probe --kubeconfig "$T/kubeconfig.badtoken" --token "$TOKEN" -n shop ok --no-logs -o json \
	>"$T/out2" 2>"$T/err2"
RC2=$?
if [ "$RC" = 3 ] && [ "$RC2" = 0 ] &&
	[ "$(jq -r '[.probes[].outcome] | unique | join(",")' "$T/out2")" = ok ] &&
	! grep -q "$TOKEN" "$T/out2" "$T/err2"; then
	ok "--token overrides the kubeconfig's token (exit 3 without it)"
else
	notok "--token: want exit 3 then 0, got $RC, $RC2" "$(cat "$T/err" "$T/out2" "$T/err2")"
fi
probe --kubeconfig "$T/kubeconfig.badserver" -s "https://127.0.0.1:$PORT" -n shop ok --no-logs -o json
if [ "$RC" = 0 ] && [ "$(jq '.probes | length' "$T/out")" = 2 ]; then
	ok "-s/--server overrides the kubeconfig's server"
else
	notok "-s: exit $RC" "$(cat "$T/out" "$T/err")"
fi

# ---- 403 on pods/proxy ----
start_server --fault forbid:pods/proxy || { notok "restart the server"; finish; }
probe -n shop ok --no-logs -o json
if jq -e '.probes[] | select(.kind == "Pod") | .outcome == "probe-failed" and (.detail | test("get on pods/proxy"))' "$T/out" >/dev/null &&
	jq -e '.notes | map(test("pods/proxy")) | any' "$T/out" >/dev/null &&
	[ "$(jq '.findings | length' "$T/out")" = 0 ]; then
	ok "403 on pods/proxy: probe-failed naming get on pods/proxy, no finding"
else
	notok "403 on pods/proxy" "$(cat "$T/out" "$T/err")"
fi
start_server --fault forbid:pods/proxy --fault forbid:services/proxy || { notok "restart the server"; finish; }
probe -n shop ok --no-logs
if [ "$RC" = 3 ] && grep -q "services/proxy" "$T/err"; then
	ok "every probe forbidden: exit 3 naming the rules"
else
	notok "every probe forbidden: want exit 3, got $RC" "$(cat "$T/out" "$T/err")"
fi
start_server || { notok "restart the server"; finish; }

# ---- Ctrl-C mid-run ----
"$BIN" probe --kubeconfig "$T/kubeconfig" -n shop slow --timeout 30 --no-logs >"$T/out" 2>"$T/err" &
pid=$!
sleep 1
start=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
RC=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$RC" = 130 ] && [ "$ms" -lt 1500 ] && grep -q interrupted "$T/err"; then
	ok "SIGINT mid-run: exit 130 in $ms ms"
else
	notok "SIGINT mid-run: exit $RC after $ms ms" "$(cat "$T/err")"
fi

# ---- the total deadline: what cannot finish is reported, not judged ----
start=$(date +%s%N)
probe -n shop slow ok --timeout 30 --request-timeout 3 --no-logs -o json
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$RC" = 0 ] && [ "$ms" -lt 5000 ] &&
	[ "$(jq -r '.probes[] | select(.pod == "slow-0") | .outcome' "$T/out")" = not-run ] &&
	[ "$(jq -r '.probes[] | select(.pod == "ok-0") | .outcome' "$T/out")" = ok ] &&
	[ "$(jq '.findings | length' "$T/out")" = 0 ]; then
	ok "--request-timeout ends the run: unfinished targets not-run, no finding ($ms ms)"
else
	notok "--request-timeout: exit $RC after $ms ms" "$(cat "$T/out" "$T/err")"
fi

# ---- usage ----
probe -n shop ok --from-controller-namespace </dev/null
if [ "$RC" = 2 ] && grep -q -- "--yes" "$T/err"; then
	ok "--from-controller-namespace without a terminal or --yes: exit 2 naming --yes"
else
	notok "--from-controller-namespace without --yes" "$(cat "$T/err")"
fi
probe -n shop nosuch --no-logs
if [ "$RC" = 2 ] && grep -q "nosuch" "$T/err"; then
	ok "an unknown Ingress: exit 2"
else
	notok "an unknown Ingress: exit $RC" "$(cat "$T/err")"
fi
probe -n shop ok --timeout 0
if [ "$RC" = 2 ]; then ok "--timeout 0: exit 2"; else notok "--timeout 0: exit $RC"; fi
"$BIN" probe --kubeconfig "$T/nonexistent" -n shop ok >"$T/out" 2>"$T/err"
RC=$?
[ "$RC" != 0 ] && ok "a missing kubeconfig fails (exit $RC)" || notok "a missing kubeconfig"
stop_server
probe -n shop ok --no-logs --request-timeout 5
if [ "$RC" = 3 ]; then ok "cluster unreachable: exit 3"; else notok "cluster unreachable: exit $RC" "$(cat "$T/err")"; fi
start_server || { notok "restart the server"; finish; }

# ---- no token in any output with -v ----
probe -n shop refused ok -v -v
if ! grep -q "$TOKEN" "$T/out" "$T/err" && grep -q "proxy" "$T/err"; then
	ok "-v: requests logged, the token never"
else
	notok "-v leaks the token or logs nothing" "$(head -5 "$T/err")"
fi

finish
