#!/bin/sh
# setup.sh: install what ingress-doctor needs on Debian 12 (or Ubuntu), then build it.
#
#   ./scripts/setup.sh          build dependencies, then `make`
#   ./scripts/setup.sh --test   also test dependencies (cmocka, cJSON, jq, clang, libFuzzer, nginx)
#
# Idempotent: packages already installed are left alone, `make` only rebuilds
# what changed. Runs apt-get through sudo unless already root.
set -eu

usage() {
	sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

want_test=0
for arg in "$@"; do
	case "$arg" in
	--test) want_test=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "setup.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
	esac
done

cd "$(dirname "$0")/.."

# Build: compiler, pkg-config, libfyaml (YAML), zlib (gzip logs),
# libcurl (live cluster access), CA certificates (HTTPS to the API server).
pkgs="gcc make libc6-dev pkg-config libfyaml-dev zlib1g-dev libcurl4-openssl-dev ca-certificates"
# Tests: cmocka (unit tests), cJSON (differential JSON fuzzing), jq (scenario
# runner), clang + its runtime (libFuzzer, sanitizers), time (benchmarks),
# python3 + openssl (test API server, tests/run-live.sh), kubernetes-client (kubectl).
# nginx + curl + openssl + iproute2 (tests/run-nginx-rig.sh: a real nginx,
# its client, a TLS backend and the connect-timeout network namespace).
if [ "$want_test" = 1 ]; then
	pkgs="$pkgs libcmocka-dev libcjson-dev jq clang libclang-rt-14-dev time python3 openssl"
	# kubectl for tests/run-live.sh: Debian's kubernetes-client only when no
	# kubectl is installed (another kubectl package would conflict with it)
	command -v kubectl >/dev/null 2>&1 || pkgs="$pkgs kubernetes-client"
	pkgs="$pkgs nginx curl openssl iproute2"
	# tests/run-probe.sh: a TLS backend (libssl-dev); tests/run-probe-pod.sh:
	# the debug pod's script run with busybox's applets
	pkgs="$pkgs libssl-dev busybox"
fi

if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "setup.sh: not root and sudo is not installed; run as root" >&2
	exit 1
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "setup.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$missing >/dev/null
else
	echo "setup.sh: all packages already installed"
fi

echo "setup.sh: building"
make -s -j"$(nproc 2>/dev/null || echo 2)"
echo "setup.sh: done: ./build/ingress-doctor"
