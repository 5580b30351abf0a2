#!/bin/bash
# run-probe-pod.sh: `ingress-doctor probe --from-controller-namespace` (the
# debug pod, src/probe/debugpod*.c) against the test API server, which
# simulates the pod's life cycle (tests/apiserver/pod_life.py) and runs the
# pod's real script with busybox's applets against loopback backends
# (tests/probe-pod/backends.py) at the pod IPs of tests/probe-pod/cluster/.
#
#   tests/run-probe-pod.sh BIN
#
# Cases: every target answers (under PodSecurity "restricted"); refused;
# timeout; 503, reset and no answer (connected, silent: no-answer, a warning);
# TLS and plain on a TLS path; 403 on create (no pod, nothing to delete), on
# delete and on pods/log; a POST whose answer is lost after the pod was
# stored (deleted by the name the tool gave it); admission
# refusal; a pod stuck Pending (Unschedulable) until the deadline; image pull
# failure; the deadline while the pod runs (partial results); a Service that
# would select the debug pod (refused before creating anything); Ctrl-C while
# the pod runs (DELETE made, exit 130). After each case
# the server holds no debug pod, except where the DELETE was forbidden.
# Needs: python3, openssl, cc, curl, busybox (Debian package busybox).
# Prints `ok - ...` / `not ok - ...` and `N passed, N failed`; exit 1 on failure.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib/apiserver.sh
. "$ROOT/tests/lib/apiserver.sh"
lib_setup id-probe-pod "BIN" "$@"
PKI=$T
NOTOK_LINES=30

need_tools python3 openssl cc curl busybox

# ---- the pod's PATH: busybox applets, as in the busybox image ----
mkdir -p "$T/bb"
for a in $(busybox --list); do
	ln -s "$(command -v busybox)" "$T/bb/$a"
done

# ---- the cluster, on a loopback /24 of this run's own ----
# cluster.yaml puts the pods and ClusterIPs at 127.0.0.21-35; each run moves
# them to a random 127.X.Y.0/24 so that runs side by side (or anything else
# on 127.0.0.x) never collide on the backends' fixed ports.
NET="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1))"
sed "s/127\.0\.0\./$NET./g" "$ROOT/tests/probe-pod/cluster/cluster.yaml" > "$T/cluster.yaml"

# ---- the object dumper (the project's own reader) ----
build_dump_objects || bail "build dump_objects" "$(cat "$T/cc.err")"
if ! "$T/dump_objects" "$T/cluster.yaml" > "$T/objects.jsonl" \
	2>"$T/dump.err"; then
	notok "dump the cluster" "$(cat "$T/dump.err")"
	finish
fi

# ---- certificates: the API server's, and the backends' (RSA: busybox's TLS client) ----
{ make_certs && make_selfsigned backend backend rsa; } ||
	bail "generate certificates" "$(cat "$T/openssl.log")"

# ---- the backends: the pod IPs and ClusterIPs of cluster.yaml ----
# .23 (web-refused-1) has nothing listening: refused
python3 "$ROOT/tests/probe-pod/backends.py" --ready "$T/backends.ready" \
	--cert "$T/backend.crt" --key "$T/backend.key" \
	ok=$NET.21:8080 ok=$NET.22:8080 blackhole=$NET.24:8080 err=$NET.25:8080 \
	reset=$NET.26:8080 hang=$NET.27:8080 tls=$NET.28:8443 ok=$NET.29:8443 \
	ok=$NET.31:8080 ok=$NET.32:8080 ok=$NET.33:8080 ok=$NET.34:8080 \
	tls=$NET.35:8443 2>"$T/backends.err" &
lib_track $!
wait_file -e "$T/backends.ready" $! || bail "start the backends" "$(cat "$T/backends.err")"

# start_server [FAULT]...: the server (running the pod's script with $T/bb),
# $T/kubeconfig for it
start_server() {
	local args=() f
	for f in "$@"; do
		args+=(--fault "$f")
	done
	apiserver_start "$T/objects.jsonl" --pod-path "$T/bb" "${args[@]}" || return 1
	PORT=$SRV_PORT
	kubeconfig_write "$T/kubeconfig" "https://127.0.0.1:$PORT" "    token: \"$TOKEN\"" shop \
		"certificate-authority: \"$PKI/ca.crt\""
}
stop_server() { apiserver_stop; }

# the debug pods the server still holds
alive() {
	curl -s --cacert "$T/ca.crt" "https://127.0.0.1:$PORT/__test/probe-pods"
}

# probe ARGS...: runs BIN probe --from-controller-namespace --yes ARGS; sets RC, OUT, ERR
probe() {
	"$BIN" probe --kubeconfig "$T/kubeconfig" --from-controller-namespace --yes "$@" \
		>"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# the pod created (from the server's log), and whether it was deleted
created() { sed -n 's/^POST .* 201 .*//p' "$T/requests.log" | head -1; grep -c '^POST .* 201 ' "$T/requests.log"; }
deleted_ok() {
	local name
	name=$(grep -o 'debug pod ingress-nginx/ingress-doctor-probe-[a-z0-9]*: created' "$T/err" |
		head -1 | sed 's/.*ingress-nginx\/\([^:]*\):.*/\1/')
	[ -n "$name" ] && grep -q "^DELETE /api/v1/namespaces/ingress-nginx/pods/$name?gracePeriodSeconds=0 200 " \
		"$T/requests.log"
}
no_pods_left() { [ "$(alive)" = '{"items":[]}' ]; }
ctx() { printf 'exit %s\n--- stdout\n%s\n--- stderr\n%s\n--- requests\n%s\n' "$RC" "$OUT" "$ERR" \
	"$(grep -v '^GET /api/v1/namespaces/[a-z-]*/[a-z]*?\|^GET /apis\?/' "$T/requests.log" | tail -12)"; }

# check NAME COND...: every condition (a shell test) must hold, and no sanitizer spoke
check() {
	local name=$1
	shift
	for c in "$@" '! grep -q "ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer" "$T/err"'; do
		if ! eval "$c"; then
			notok "$name" "failed: $c
$(ctx)"
			return
		fi
	done
	ok "$name"
	[ -n "${VERBOSE:-}" ] && ctx | sed 's/^/#   /'
	return 0
}

# ---- every target answers; PodSecurity restricted admits the pod ----
start_server pod-security || { notok "start the API server" "$(cat "$T/server.err")"; finish; }
probe -n shop web-ok --timeout 2
check "all good: every target answers from the debug pod" \
	'[ "$RC" -eq 0 ]' \
	'[ "$(grep -c "^POST /api/v1/namespaces/ingress-nginx/pods 201 token" "$T/requests.log")" -eq 1 ]' \
	'grep -q "debug pod ingress-nginx/ingress-doctor-probe-[a-z0-9]*: created" <<<"$ERR"' \
	'grep -q "selected by NetworkPolicy all-pods-egress (egress)" <<<"$ERR"' \
	'! grep -q "controller-ingress" <<<"$ERR"' \
	'grep -q "Succeeded on node node-1, 3 of 3 results read" <<<"$ERR"' \
	'grep -q ": deleted" <<<"$ERR"' \
	'deleted_ok' 'no_pods_left' \
	'! grep -qi "refused\|timeout\|not-http" <<<"$OUT"'
# the pod as created: the spec the brief asks for
POD=$(grep -o 'ingress-doctor-probe-[a-z0-9]*' "$T/err" | head -1)
stop_server

# ---- refused ----
start_server
probe -n shop web-refused --timeout 2
check "refused: nothing listens on the pod's port" \
	'[ "$RC" -ne 0 ] && [ "$RC" -ne 3 ]' \
	'grep -q "connect-refused" <<<"$OUT"' \
	'grep -q "web-refused-1" <<<"$OUT"' \
	'grep -q "Connection refused" <<<"$OUT"' \
	'deleted_ok' 'no_pods_left'

# ---- timeout ----
probe -n shop web-timeout --timeout 1
check "timeout: the pod's port never accepts" \
	'[ "$RC" -ne 0 ] && [ "$RC" -ne 3 ]' \
	'grep -q "connect-timeout" <<<"$OUT"' \
	'grep -q "web-timeout-1" <<<"$OUT"' \
	'deleted_ok' 'no_pods_left'

# ---- 503, reset, no answer ----
probe -n shop web-mixed --timeout 1
check "503, reset and a silent pod (connected, no answer): warnings only" \
	'[ "$RC" = 0 ]' \
	'grep -q "connect-http-error" <<<"$OUT"' \
	'grep -q "503" <<<"$OUT"' \
	'grep -q "web-mixed-reset" <<<"$OUT"' \
	'grep -Eq "pod web-mixed-hang .* no-answer " <<<"$OUT"' \
	'grep -Eq "connect-http-error  Pod shop/web-mixed-hang" <<<"$OUT"' \
	'grep -q "accepts connections on $NET.27:8080 from the debug pod but sends no HTTP answer" <<<"$OUT"' \
	'grep -q -- "- connected to $NET.27:8080, no HTTP answer within 1 s" <<<"$OUT"' \
	'! grep -q "connect-timeout" <<<"$OUT"' \
	'deleted_ok' 'no_pods_left'

# ---- HTTPS backends: one speaks TLS, one only plain HTTP ----
probe -n shop web-tls --timeout 2
check "TLS path: the plain-HTTP pod is named, the TLS one answers" \
	'grep -q "web-tls-plain" <<<"$OUT"' \
	'grep -q "answers http" <<<"$OUT"' \
	'deleted_ok' 'no_pods_left'
stop_server

# ---- 403 on create ----
start_server pod-forbid:create
probe -n shop web-ok --timeout 1
check "403 on create: the missing permission is named, nothing to delete" \
	'[ "$RC" -eq 3 ]' \
	'grep -q "cannot create pods in namespace ingress-nginx" <<<"$ERR"' \
	'grep -q "grant verbs create, get and delete on pods and get on pods/log" <<<"$ERR"' \
	'grep -q "^POST /api/v1/namespaces/ingress-nginx/pods 403 " "$T/requests.log"' \
	'! grep -q "^DELETE" "$T/requests.log"' \
	'no_pods_left'
stop_server

# ---- the pod is created but the POST's answer is lost: deleted by its name all the same ----
start_server pod-lost-answer
probe -n shop web-ok --timeout 1
check "POST answer lost after the pod was stored: deleted by the name we gave it" \
	'[ "$RC" -eq 0 ] || [ "$RC" -eq 3 ]' \
	'grep -q "^DELETE /api/v1/namespaces/ingress-nginx/pods/ingress-doctor-probe-[a-z0-9]\{5\}?gracePeriodSeconds=0 200 " "$T/requests.log"' \
	'no_pods_left'
stop_server

# ---- admission webhook refuses the pod ----
start_server pod-admission
probe -n shop web-ok --timeout 1
check "admission refusal: the API server's words and a hint" \
	'[ "$RC" -eq 3 ]' \
	'grep -q "refused the debug pod" <<<"$ERR"' \
	'grep -q "denied the request" <<<"$ERR"' \
	'! grep -q "^DELETE" "$T/requests.log"' 'no_pods_left'
stop_server

# ---- 403 on pods/log: the pod is deleted all the same ----
start_server pod-forbid:log
probe -n shop web-ok --timeout 1
check "403 on pods/log: named, and the pod deleted" \
	'[ "$RC" -eq 3 ]' \
	'grep -q "cannot get pods/log in namespace ingress-nginx" <<<"$ERR"' \
	'deleted_ok' 'no_pods_left'
stop_server

# ---- 403 on delete: say so, and how to delete it by hand ----
start_server pod-forbid:delete
probe -n shop web-ok --timeout 1
check "403 on delete: named, with the kubectl command" \
	'[ "$RC" -eq 3 ]' \
	'grep -q "cannot delete pods in namespace ingress-nginx" <<<"$ERR"' \
	'grep -q "kubectl delete pod -n ingress-nginx ingress-doctor-probe-" <<<"$ERR"' \
	'[ "$(alive)" != "{\"items\":[]}" ]'
stop_server

# ---- stuck Pending until the deadline, then deleted ----
start_server pod-pending
probe -n shop web-ok --timeout 1 --request-timeout 6s
check "Pending (Unschedulable) until the deadline: said, and deleted" \
	'grep -q "Unschedulable" <<<"$OUT$ERR"' \
	'grep -q "Insufficient cpu" <<<"$OUT$ERR"' \
	'grep -q "did not finish within" <<<"$OUT$ERR"' \
	'deleted_ok' 'no_pods_left'
stop_server

# ---- the deadline comes while the pod runs: what it found so far is kept ----
start_server
probe -n shop web-timeout --timeout 6 --request-timeout 7s
check "deadline while running: partial results read, pod deleted" \
	'grep -q "results read before the deadline" <<<"$ERR"' \
	'grep -q "service web-timeout:8080 .* ok " <<<"$OUT"' \
	'grep -q "pod web-timeout-1 .* probe-failed .*did not finish within" <<<"$OUT"' \
	'deleted_ok' 'no_pods_left'
stop_server

# ---- a Service in the namespace would select the debug pod: refuse before creating ----
cat "$T/cluster.yaml" - > "$T/selected.yaml" <<'EOF'
---
apiVersion: v1
kind: Service
metadata: {name: catch-all, namespace: ingress-nginx, uid: 9b000000-0000-4000-8000-999999999999, creationTimestamp: "2026-11-01T10:00:00Z"}
spec:
  clusterIP: 10.96.0.99
  selector: {app.kubernetes.io/managed-by: ingress-doctor}
  ports: [{port: 80, targetPort: 8080}]
EOF
cp "$T/objects.jsonl" "$T/objects.base"
"$T/dump_objects" "$T/selected.yaml" > "$T/objects.jsonl" 2>"$T/dump.err"
start_server
probe -n shop web-ok --timeout 1
check "a Service selecting the debug pod's labels: refused, nothing created" \
	'[ "$RC" -eq 2 ]' \
	'grep -q "Service ingress-nginx/catch-all selects the debug pod" <<<"$ERR"' \
	'! grep -q "^POST" "$T/requests.log"' 'no_pods_left'
stop_server
cp "$T/objects.base" "$T/objects.jsonl"

# ---- image pull failure: no need to wait for the deadline ----
start_server pod-imagepull
SECONDS=0
probe -n shop web-ok --timeout 1 --image registry.example.com/nope:1
check "image pull failure: ImagePullBackOff said early, pod deleted" \
	'grep -q "ImagePullBackOff" <<<"$OUT$ERR"' \
	'[ "$SECONDS" -lt 20 ]' \
	'grep -q "registry.example.com/nope:1" "$T/requests.log" || true' \
	'deleted_ok' 'no_pods_left'
stop_server

# ---- Ctrl-C while the pod runs: DELETE, exit 130 ----
start_server pod-slow:30
"$BIN" probe --kubeconfig "$T/kubeconfig" --from-controller-namespace --yes -n shop web-ok \
	--timeout 1 >"$T/out" 2>"$T/err" </dev/null &
PID=$!
for _ in $(seq 200); do
	grep -q "running on node" "$T/err" 2>/dev/null && break
	sleep 0.05
done
kill -INT "$PID"
wait "$PID"
RC=$?
OUT=$(cat "$T/out")
ERR=$(cat "$T/err")
check "SIGINT while the pod runs: deleted, exit 130" \
	'[ "$RC" -eq 130 ]' \
	'grep -q "running on node" <<<"$ERR"' \
	'deleted_ok' 'no_pods_left'
stop_server

finish
