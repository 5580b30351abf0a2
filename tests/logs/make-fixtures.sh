#!/bin/bash
# make-fixtures.sh: regenerate the log fixtures of tests/run-logs.sh in this
# directory. The lines follow shared/reference/nginx-502.md (formats and
# message strings); addresses and names are made up. Deterministic.
set -eu
cd "$(dirname "$0")"

rid=0123456789abcdef0123456789abcdef
# acc MIN:SEC METHOD STATUS UPSTREAM ADDRS LENS TIMES STATUSES
acc() {
	printf '10.0.0.50 - - [17/Apr/2023:20:%s +0000] "%s /p HTTP/1.1" %s 10 "-" "curl/8.0" 90 0.010 [%s] [] %s %s %s %s %s\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$rid"
}
# err MIN:SEC LEVEL MESSAGE PEER(scheme://ip:port)
err() {
	printf '2023/04/17 20:%s [%s] 31#31: *%d %s, client: 10.0.0.50, server: shop.example.com, request: "GET /p HTTP/1.1", upstream: "%s/p", host: "shop.example.com"\n' \
		"$1" "$2" "$((RANDOM % 9000 + 1000))" "$3" "$4"
}
RANDOM=42

# 1. refused: one pod not listening, kubectl logs --prefix, glibc and musl mixed
{
	for i in $(seq 10 29); do
		acc "24:$i" GET 200 shop-api-8080 10.244.0.22:8080 10 0.004 200
	done
	for i in $(seq 30 41); do
		acc "25:$i" GET 502 shop-api-8080 "10.244.0.21:8080, 10.244.0.21:8080, 10.244.0.21:8080" "0, 0, 0" "0.000, 0.001, 0.000" "502, 502, 502"
		for k in 1 2 3; do
			err "25:$i" error "connect() failed (111: Connection refused) while connecting to upstream" http://10.244.0.21:8080
		done
	done
} | sed 's|^|[pod/ingress-nginx-controller-7d9f-x2/controller] |' >refused.log

# 2. timeouts: connect (glibc text, 504 x3 at 5 s) and read (musl text, 60 s)
{
	for i in 10 11 12 13; do
		acc "26:$i" GET 504 shop-pay-80 "10.244.2.7:8080, 10.244.2.8:8080, 10.244.2.7:8080" "0, 0, 0" "5.001, 5.000, 5.002" "504, 504, 504"
		err "26:$i" error "upstream timed out (110: Connection timed out) while connecting to upstream" http://10.244.2.7:8080
		err "26:$i" error "upstream timed out (110: Connection timed out) while connecting to upstream" http://10.244.2.8:8080
	done
	for i in 20 21; do
		acc "27:$i" GET 504 shop-report-80 10.244.3.3:8080 0 60.001 504
		err "27:$i" error "upstream timed out (110: Operation timed out) while reading response header from upstream" http://10.244.3.3:8080
	done
} >timeouts.log

# 3. keep-alive race: mostly fine, a few instant premature closes, GETs retried
{
	for i in $(seq 100); do
		s=$(printf '%02d' $((i % 60)))
		acc "30:$s" GET 200 shop-web-80 10.244.1.5:3000 512 0.020 200
	done
	for s in 05 17 29; do
		acc "31:$s" GET 200 shop-web-80 "10.244.1.5:3000, 10.244.1.6:3000" "0, 512" "0.000, 0.019" "502, 200"
		err "31:$s" error "upstream prematurely closed connection while reading response header from upstream" http://10.244.1.5:3000
	done
	acc "31:40" POST 502 shop-web-80 10.244.1.6:3000 0 0.001 502
	err "31:40" error "upstream prematurely closed connection while reading response header from upstream" http://10.244.1.6:3000
} >keepalive.log

# 4. TLS and protocol: HTTPS to a plain port ([crit] too), gRPC to HTTP/1, big header
{
	acc "40:01" GET 502 auth-keycloak-8443 10.244.4.4:8080 0 0.001 502
	err "40:01" error "SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream" https://10.244.4.4:8080
	acc "40:02" GET 502 auth-keycloak-8443 10.244.4.4:8080 0 0.001 502
	err "40:02" crit "SSL_do_handshake() failed (SSL: error:14094458:SSL routines:ssl3_read_bytes:tlsv1 unrecognized name:SSL alert number 112) while SSL handshaking to upstream" https://10.244.4.4:8080
	acc "41:01" POST 502 grpc-greeter-50051 10.244.5.5:50051 0 0.002 502
	err "41:01" error "upstream sent too large http2 frame: 4740180 while reading response header from upstream" grpc://10.244.5.5:50051
	acc "42:01" GET 502 sso-oauth2-proxy-4180 10.244.6.6:4180 0 0.003 502
	err "42:01" error "upstream sent too big header while reading response header from upstream" http://10.244.6.6:4180
} >tls.log

# 5. no endpoints (503, no upstream contacted; the controller says so) and no live upstreams
{
	printf 'W0417 20:44:59.000000       7 controller.go:1110] Service "shop/cart" does not have any active Endpoint.\n'
	for i in 01 02 03 04 05; do
		acc "45:$i" GET 503 shop-cart-80 - - - -
	done
	acc "46:01" GET 502 legacy-app-80 - - - -
	printf '2023/04/17 20:46:01 [error] 31#31: *99 no live upstreams while connecting to upstream, client: 10.0.0.50, server: _, request: "GET /p HTTP/1.1", upstream: "http://legacy-app-80/p", host: "a"\n'
} >noendpoints.log

# 6. access log only (no error log): classes inferred, and a JSON access log
{
	for i in 10 11 12; do
		acc "50:$i" GET 502 shop-api-8080 "10.244.0.21:8080, 10.244.0.23:8080" "0, 0" "0.000, 0.000" "502, 502"
	done
	acc "50:20" GET 504 shop-pay-80 "10.244.2.7:8080" "0" "5.000" "504"
} >access-only.log
{
	for i in 10 11; do
		printf '{"time_local":"17/Apr/2023:20:55:%s +0000","status":"502","request":"GET /x HTTP/1.1","proxyUpstreamName":"shop-api-8080","upstreamAddr":"10.244.0.21:8080","upstreamStatus":"502","upstreamResponseTime":"0.000","upstreamResponseLength":"0"}\n' "$i"
	done
	printf '{"time_local":"17/Apr/2023:20:55:12 +0000","status":"200","request":"GET /x HTTP/1.1","proxyUpstreamName":"shop-api-8080","upstreamAddr":"10.244.0.22:8080","upstreamStatus":"200","upstreamResponseTime":"0.010","upstreamResponseLength":"42"}\n'
	printf '2023/04/17 20:55:10 [error] 40#40: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: _, request: "GET /x HTTP/1.1", upstream: "http://10.244.0.21:8080/x", host: "a"\n'
} >json.log

# 7. CRI-prefixed, CRLF, gzip; healthy; junk; truncated gzip
sed 's|^|2024-03-26T16:21:04.076718973+01:00 stderr F |; s|$|\r|' refused.log | gzip -9n >cri.log.gz
{
	for i in $(seq 10 40); do
		acc "59:$i" GET 200 shop-api-8080 10.244.0.22:8080 10 0.004 200
	done
	printf 'I0417 20:59:41.000000       7 controller.go:190] "Backend successfully reloaded"\n'
} >healthy.log
printf 'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\n\x00\x00\x00\x00@\x00\x1b\x5b\x32\x4a\nnot a log line\n\xc3\x28 invalid utf8 "x" [y] 502\n' >junk.bin
gzip -9nc refused.log | head -c 600 >truncated.log.gz
