# shellcheck shell=bash
# apiserver.sh: the set-up shared by the scripts that run ingress-doctor
# against the test API server (tests/apiserver/server.py): TAP-like counters,
# the test CA and certificates, the object dumper, server.py and nginx in
# front of it, kubeconfigs, and the clean-up on exit.
#
# Sourced (bash), never run. The sourcing script sets ROOT (the repository
# root), then calls lib_setup (a test script) or sets these itself (bench):
#   BIN    the binary under test       T      its private temp dir
#   BDIR   the build dir (libid.a)     PKI    where the certificates are
#   TOKEN  the bearer token (random_token makes one)
# with `trap lib_cleanup EXIT` (or its own handler that calls it).
# Users: tests/run-live.sh, run-live-h2.sh, run-probe.sh, run-probe-pod.sh,
# bench/live.sh.

passed=0
failed=0
SRV_PID=""
NGX_PID=""
LIB_PIDS=()
NOTOK_LINES=${NOTOK_LINES:-20}

# lib_setup NAME USAGE "$@": the start of a test script: exit 2 with
# "usage: SCRIPT USAGE" when "$@" is empty; else BIN (the first argument,
# made absolute) and BDIR, T (a new temp dir "NAME.XXXXXX", removed on exit),
# PKI=$T/pki and TOKEN
lib_setup() {
	local name=$1 usage=$2
	shift 2
	[ $# -ge 1 ] || { echo "usage: $0 $usage" >&2; exit 2; }
	BIN=$(realpath "$1")
	BDIR=$(dirname "$BIN")
	T=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
	PKI=$T/pki
	trap lib_cleanup EXIT
	random_token
}

# ok MSG / notok MSG [CONTEXT]: one result line; CONTEXT (first NOTOK_LINES
# lines) follows a failure as `#   ` comments
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() {
	echo "not ok - $1"
	[ -n "${2:-}" ] && sed 's/^/#   /' <<<"$2" | head -"$NOTOK_LINES"
	failed=$((failed + 1))
}
# finish: the totals line, then exit 0 if nothing failed, else 1
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
# bail MSG [CONTEXT]: a failure that ends the run
bail() { notok "$1" "${2:-}"; finish; }

# need_tools TOOL...: bail on the first one not installed
need_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || bail "$tool is not installed"
	done
}

# random_token: sets TOKEN to a fresh bearer token
random_token() { TOKEN="tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"; }

# san_flags: the sanitizer flags when BDIR is the SAN=1 build (their runtime
# must be linked into what links libid.a)
san_flags() { [[ "$BDIR" == *build-san* ]] && echo "-fsanitize=address,undefined"; return 0; }

# build_dump_objects: $T/dump_objects (tests/apiserver/dump_objects.c on
# libid.a); compiler errors in $T/cc.err
build_dump_objects() {
	# shellcheck disable=SC2046 # pkg-config's and san_flags' words are meant to split
	cc -std=c17 -D_GNU_SOURCE -o "$T/dump_objects" "$ROOT/tests/apiserver/dump_objects.c" \
		"$BDIR/libid.a" $(pkg-config --libs libfyaml zlib libcurl) -lm $(san_flags) \
		2>"$T/cc.err"
}

# scenario_args DIR: a scenario folder's command-line arguments (DIR/args,
# split on blanks) in SCEN_ARGS, and in LIVE_ARGS the same with -A in front
# unless they name a namespace (-n/--namespace): what a live run takes
scenario_args() {
	local a
	# shellcheck disable=SC2207 # the args file is split on blanks, as a shell would
	SCEN_ARGS=($(cat "$1/args" 2>/dev/null))
	LIVE_ARGS=("${SCEN_ARGS[@]}")
	for a in "${SCEN_ARGS[@]}"; do
		{ [ "$a" = -n ] || [ "$a" = --namespace ]; } && return 0
	done
	LIVE_ARGS=(-A "${LIVE_ARGS[@]}")
}

# make_certs [client] [wrong]: in $PKI, a CA (ca.crt/key) and the API server's
# certificate (server.crt/key: 127.0.0.1, localhost, kubernetes.default);
# `client`: a client certificate of that CA (client.crt/key, CN test-user);
# `wrong`: a server certificate from another CA (wrong.crt/key). Output in
# $T/openssl.log; fails if openssl did.
make_certs() {
	local client=0 wrong=0 a
	for a in "$@"; do
		case $a in
		client) client=1 ;;
		wrong) wrong=1 ;;
		esac
	done
	mkdir -p "$PKI"
	(
		set -e
		cd "$PKI"
		ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
		openssl req -x509 "${ec[@]}" -days 2 -subj /CN=test-ca -keyout ca.key -out ca.crt
		openssl req "${ec[@]}" -subj /CN=kube-apiserver -keyout server.key -out server.csr
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default\n' > san.ext
		openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
			-extfile san.ext -out server.crt
		if [ $client = 1 ]; then
			openssl req "${ec[@]}" -subj /CN=test-user -keyout client.key -out client.csr
			openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
				-days 2 -out client.crt
		fi
		if [ $wrong = 1 ]; then
			openssl req -x509 "${ec[@]}" -days 2 -subj /CN=other-ca -keyout other.key \
				-out other.crt
			openssl req "${ec[@]}" -subj /CN=kube-apiserver -keyout wrong.key -out wrong.csr
			openssl x509 -req -in wrong.csr -CA other.crt -CAkey other.key -CAcreateserial \
				-days 2 -extfile san.ext -out wrong.crt
		fi
	) >"$T/openssl.log" 2>&1
}

# make_selfsigned NAME CN [rsa]: a self-signed $PKI/NAME.crt and NAME.key
# (P-256, or RSA 2048 for clients such as busybox's); output appended to
# $T/openssl.log
make_selfsigned() {
	local alg=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
	[ "${3:-}" = rsa ] && alg=(-newkey rsa:2048)
	mkdir -p "$PKI"
	openssl req -x509 "${alg[@]}" -nodes -days 2 -subj "/CN=$2" -keyout "$PKI/$1.key" \
		-out "$PKI/$1.crt" >>"$T/openssl.log" 2>&1
}

# wait_file TEST PATH [PID [TRIES]]: wait (0.05 s steps, TRIES, default 200)
# until `test TEST PATH` holds (-e exists, -s non-empty), or PID has exited
wait_file() {
	local i
	for ((i = 0; i < ${4:-200}; i++)); do
		test "$1" "$2" && return 0
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && break
		sleep 0.05
	done
	test "$1" "$2"
}

# apiserver_start OBJECTS [SERVER.PY ARGS...]: tests/apiserver/server.py on
# OBJECTS (dump_objects' JSON lines) with $PKI's server certificate (unless
# ARGS give --cert/--key again: the last one wins), client CA and $TOKEN,
# its request log in $T/requests.log (emptied), stderr in $T/server.err.
# Sets SRV_PID and SRV_PORT; fails if it did not start. Environment
# variables given on the call reach server.py.
apiserver_start() {
	local objs=$1
	shift
	apiserver_stop
	rm -f "$T/port"
	: > "$T/requests.log"
	python3 "$ROOT/tests/apiserver/server.py" --objects "$objs" --cert "$PKI/server.crt" \
		--key "$PKI/server.key" --client-ca "$PKI/ca.crt" --token "$TOKEN" \
		--log "$T/requests.log" --port-file "$T/port" "$@" 2>"$T/server.err" &
	SRV_PID=$!
	wait_file -s "$T/port" "$SRV_PID"
	# shellcheck disable=SC2034 # read by the sourcing script
	SRV_PORT=$(cat "$T/port" 2>/dev/null)
	[ -n "$SRV_PORT" ]
}

# apiserver_stop: ends server.py (if running)
apiserver_stop() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=""
	fi
}

# free_port: a TCP port free on 127.0.0.1 just now
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nginx_start CONF_IN UPSTREAM [SED-EXPR...]: Debian's nginx, unprivileged, in
# $T/ngx (its prefix, error.log, and whatever log CONF_IN names), from the
# template CONF_IN with @DIR@, @PKI@, @PORT@ and @UPSTREAM@ replaced (and any
# more `sed -e` expressions given), on a free port; ready when it answers
# /api with server.py's 401. Sets NGX_PID and NGX_PORT; three tries, then fails.
nginx_start() {
	local conf=$1 upstream=$2 code p
	shift 2
	local more=()
	local e
	for e in "$@"; do more+=(-e "$e"); done
	for _ in 1 2 3; do
		p=$(free_port)
		rm -rf "$T/ngx"
		mkdir -p "$T/ngx/tmp"
		chmod 755 "$T/ngx"
		sed -e "s|@DIR@|$T/ngx|g" -e "s|@PKI@|$PKI|g" -e "s|@PORT@|$p|g" \
			-e "s|@UPSTREAM@|$upstream|g" "${more[@]}" "$conf" > "$T/ngx/nginx.conf"
		nginx -p "$T/ngx/" -c "$T/ngx/nginx.conf" -e "$T/ngx/error.log" \
			-g 'daemon off;' 2>"$T/ngx/nginx.err" &
		NGX_PID=$!
		for _ in $(seq 50); do
			kill -0 "$NGX_PID" 2>/dev/null || break
			code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.crt" \
				"https://127.0.0.1:$p/api")
			# 401: server.py answered through nginx (no token given here)
			if [ "$code" = 401 ]; then
				# shellcheck disable=SC2034 # read by the sourcing script
				NGX_PORT=$p
				return 0
			fi
			sleep 0.1
		done
		nginx_stop
	done
	return 1
}

# nginx_stop: a graceful stop (its logs flushed), killed after 3 s
nginx_stop() {
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

# kubeconfig_write FILE URL USER [NAMESPACE [CA]]: a one-context kubeconfig
# (cluster, user and context "test") for the server at URL. USER: the user
# stanza's lines, indented four spaces (e.g. "    token: $TOKEN"). NAMESPACE:
# the context's (default: default). CA: the cluster's CA line (default:
# certificate-authority-data of $PKI/ca.crt). Written with mode 600.
kubeconfig_write() {
	local ca=${5:-"certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")"}
	(
		umask 077
		cat > "$1" <<EOF
apiVersion: v1
kind: Config
current-context: test
clusters:
- name: test
  cluster:
    server: $2
    $ca
users:
- name: test
  user:
$3
contexts:
- name: test
  context: {cluster: test, user: test, namespace: ${4:-default}}
EOF
	)
}

# lib_track PID / lib_untrack PID: a background process lib_cleanup ends
lib_track() { LIB_PIDS+=("$1"); }
lib_untrack() {
	local p keep=()
	for p in "${LIB_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	LIB_PIDS=("${keep[@]}")
}

# lib_cleanup: ends the tracked processes, nginx and server.py, and removes
# $T (kept, and said on stderr, when KEEP_TMP is set)
lib_cleanup() {
	local p
	for p in "${LIB_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	LIB_PIDS=()
	nginx_stop
	apiserver_stop
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
