#!/bin/bash
# run-logs.sh: `ingress-doctor logs` on the fixtures of tests/logs/ (made by
# tests/logs/make-fixtures.sh from the formats of nginx-502.md): the finding
# ids, objects and counts, exit statuses, JSON shape, stdin, gzip, damaged
# and junk input, long lines, the text report and its sparkline.
#
#   tests/run-logs.sh BIN
#
# Prints `ok - CASE` / `not ok - CASE: why` and a last line `N passed, N failed`.
# Exits 1 when a case failed, 2 on bad usage. Needs jq.
set -u

[ $# -eq 1 ] || { echo "usage: $0 BIN" >&2; exit 2; }
bin=$1
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "$0: $bin: not an executable" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "$0: jq is required" >&2; exit 2; }
cd "$(dirname "$0")/logs" || exit 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/id-logs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err
passed=0
failed=0
why=

run() { "$bin" logs "$@" </dev/null >"$out" 2>"$err"; rc=$?; }
fail() { why="$why${why:+; }$*"; }
want_rc() { [ "$rc" = "$1" ] || fail "exit status $rc, expected $1"; }
# jq_is EXPR WANT: the JSON output's EXPR (compact) equals WANT
jq_is() {
	local got
	got=$(jq -c "$1" "$out" 2>&1)
	[ "$got" = "$2" ] || fail "$1 = $got, expected $2"
}
out_has() { grep -q -F -- "$1" "$out" || fail "stdout lacks '$1'"; }
err_has() { grep -q -F -- "$1" "$err" || fail "stderr lacks '$1'"; }
done_case() {
	if [ -z "$why" ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1: $why"
		failed=$((failed + 1))
	fi
	why=
}
ids='[.findings[] | "\(.id) \(.kind) \(.namespace)/\(.name)"] | sort'

run refused.log -o json
want_rc 1
jq_is "$ids" '["upstream-connect-refused Upstream /shop-api-8080"]'
jq_is '.statistics.lines.access, .statistics.lines.error' $'32\n36'
jq_is '.statistics.upstreams[0] | [.name, .requests, ."502", .attempts, .failedAttempts, .errors."connect-refused"]' \
	'["shop-api-8080",32,12,56,36,36]'
jq_is '[.statistics.addresses[] | select(.failed > 0) | .address]' '["10.244.0.21:8080"]'
jq_is '.findings[0].commands[0]' '"kubectl get pods -A -o wide --field-selector status.podIP=10.244.0.21"'
jq_is '.summary' '{"errors":1,"warnings":0,"infos":0}'
done_case "connect refused (kubectl --prefix lines): upstream, address, counts"

run timeouts.log -o json
want_rc 1
jq_is "$ids" '["upstream-connect-timeout Upstream /shop-pay-80","upstream-read-timeout Upstream /shop-report-80"]'
jq_is '[.findings[] | .severity]' '["error","warning"]'
jq_is '[.statistics.errorClasses[] | [.class, .count]]' '[["connect-timeout",8],["read-timeout",2],["access-connect-timeout",4],["access-read-timeout",2]]'
done_case "connect timeout (glibc text) and read timeout (musl text)"

run keepalive.log -o json
want_rc 0
jq_is "$ids" '["keepalive-timeout-mismatch Upstream /shop-web-80","upstream-premature-close Upstream /shop-web-80"]'
jq_is '.statistics.upstreams[0] | [.requests, ."5xx", .failedAttempts, .failedRetriedSameAddress, .errors."retried-ok"]' '[104,1,4,0,3]'
done_case "keep-alive race: premature closes faster than any answer on a healthy upstream"

run tls.log -o json
want_rc 1
jq_is "$ids" '["ingress-backend-protocol-mismatch Upstream /grpc-greeter-50051","upstream-header-too-big Upstream /sso-oauth2-proxy-4180","upstream-ssl-error Upstream /auth-keycloak-8443"]'
jq_is '.statistics.errorLevels' '{"crit":1,"error":3}'
done_case "TLS ([error] and [crit]), gRPC to HTTP/1, too big header"

run noendpoints.log -o json
want_rc 1
jq_is "$ids" '["no-live-upstreams Upstream /legacy-app-80","service-no-ready-endpoints Service shop/cart"]'
jq_is '[.findings[] | select(.kind == "Service") | .evidence[] | select(test("^upstream shop-cart-80: 5 "))] | length' '1'
jq_is '.statistics.controller.services' '[{"service":"shop/cart","noActiveEndpoint":1,"endpointErrors":0}]'
done_case "503 without upstream + klog 'no active Endpoint' -> the Service; no live upstreams"

run access-only.log -o json
want_rc 1
jq_is "$ids" '["upstream-connect-refused Upstream /shop-api-8080","upstream-connect-timeout Upstream /shop-pay-80"]'
jq_is '[.notes[] | select(test("inferred from the access log"))] | length' '1'
done_case "access log only: classes inferred, and said so"

run json.log -o json
want_rc 1
jq_is "$ids" '["upstream-connect-refused Upstream /shop-api-8080"]'
jq_is '.statistics.lines.accessJson' '3'
done_case "JSON access lines with custom keys"

run cri.log.gz -o json
want_rc 1
jq_is "$ids" '["upstream-connect-refused Upstream /shop-api-8080"]'
jq_is '.statistics.inputs[0] | [.gzip, .damaged, .lines]' '[true,false,68]'
done_case "gzip, CRI prefix and CRLF"

# A 20 KB access line split by the runtime into CRI parts ("P" ... "F", kubelet
# splits above 16 KiB), a stderr error line between them; made here.
long=$(head -c 20000 /dev/zero | tr '\0' 'a')
acc='10.0.0.50 - - [31/Dec/2025:23:59:05 +0000] "GET /p?q='$long' HTTP/1.1" 502 157 "-" "c" 90 0.001 [shop-web-80] [] 10.244.1.5:3000 0 0.001 502 0123456789abcdef0123456789abcdef'
{
	printf '2025-12-31T23:59:05.1Z stdout P %s\n' "${acc:0:16384}"
	printf '2025-12-31T23:59:05.2Z stderr F 2025/12/31 23:59:05 [error] 31#31: *9 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.50, server: _, request: "GET /p HTTP/1.1", upstream: "http://10.244.1.5:3000/p", host: "a"\n'
	printf '2025-12-31T23:59:05.3Z stdout F %s\n' "${acc:16384}"
	printf '2026-01-01T00:01:10.0Z stderr F E0101 00:01:10.000000       7 controller.go:1110] Service "shop/cart" does not have any active Endpoint.\n'
} >"$tmp/cri-partial.log"
run "$tmp/cri-partial.log" -o json
want_rc 1
jq_is "$ids" '["service-no-ready-endpoints Service shop/cart","upstream-connect-refused Upstream /shop-web-80"]'
jq_is '.statistics.lines | [.total, .access, .error, .controller, .unknown, .criPartsJoined]' '[4,1,1,1,0,1]'
jq_is '[.statistics.timeline.minutes[] | [.time, ."502", .noEndpoint]]' '[["2025-12-31T23:59:00Z",1,null],["2026-01-01T00:01:00Z",0,1]]'
done_case "CRI partial lines rejoined; a klog line placed in the next year"

run truncated.log.gz -o json
want_rc 1
err_has "truncated gzip"
jq_is '.statistics.inputs[0].damaged' 'true'
done_case "truncated gzip: warning, lines before the damage counted"

run healthy.log
want_rc 0
out_has "Findings"
out_has "  none"
[ "$(grep -c 'Requests 31: 2xx 31' "$out")" = 1 ] || fail "request line missing"
done_case "healthy log: no finding, exit 0"

run junk.bin -o json
want_rc 0
err_has "no ingress controller log line recognised"
jq_is '.statistics.lines.unknown' '4'
jq_is '.statistics.unknownSamples | length' '4'
done_case "binary junk: counted and sampled, valid JSON, exit 0"

: >"$tmp/empty.log"
run "$tmp/empty.log" -o json
want_rc 0
jq_is '.statistics.lines.total' '0'
done_case "empty input: exit 0"

run refused.log timeouts.log tls.log -o json
want_rc 1
jq_is '.findings | length' '6'
jq_is '.statistics.inputs | length' '3'
done_case "several files"

"$bin" logs - -o json <refused.log >"$out" 2>"$err"
rc=$?
want_rc 1
jq_is '.statistics.inputs[0].file' '"-"'
jq_is "$ids" '["upstream-connect-refused Upstream /shop-api-8080"]'
done_case "standard input"

gzip -c refused.log | "$bin" logs - -o json >"$out" 2>"$err"
rc=$?
want_rc 1
jq_is '.statistics.inputs[0].gzip' 'true'
done_case "gzip on standard input (by magic bytes)"

run - -
want_rc 2
err_has "only once"
done_case "'-' twice: usage error"

run
want_rc 2
err_has "no log file"
done_case "no file: usage error"

run "$tmp/no-such.log"
want_rc 2
err_has "no-such.log"
done_case "unreadable file: exit 2 naming it"

run "$tmp"
want_rc 2
err_has "directory"
done_case "directory: exit 2"

run refused.log -o yaml
want_rc 2
done_case "bad -o: usage error"

{ head -c 1048576 /dev/zero | tr '\0' 'x'; echo; cat refused.log; } >"$tmp/long.log"
run "$tmp/long.log" -o json
want_rc 1
jq_is '.statistics.lines | [.total, .unknown, .tooLong]' '[69,1,0]'
done_case "1 MB line: parsed, counted, the rest intact"

LC_ALL=C.UTF-8 "$bin" logs refused.log timeouts.log >"$out" 2>"$err"
rc=$?
want_rc 1
out_has "Timeline of 502/503/504"
out_has "█"
out_has "5xx by upstream"
out_has "shop-api-8080"
out_has "Failing upstream addresses"
out_has "error    upstream-connect-refused  Upstream shop-api-8080"
done_case "text report with a UTF-8 sparkline"

LC_ALL=C "$bin" logs refused.log >"$out" 2>"$err"
rc=$?
want_rc 1
grep -q '█' "$out" && fail "block characters in a non-UTF-8 locale"
grep -q '^  502 |.*@' "$out" || fail "no ASCII sparkline"
done_case "ASCII sparkline outside UTF-8 locales"

"$bin" logs --help >"$out" 2>"$err"
rc=$?
want_rc 0
out_has "FILE..."
done_case "--help"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
