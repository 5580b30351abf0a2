#!/bin/bash
# run-cli.sh: the command line of a built ingress-doctor: usage errors,
# help, version, exit statuses, JSON validity, colour, closed pipes.
#
#   tests/run-cli.sh BIN
#
# Prints `ok - CASE` / `not ok - CASE` (with what went wrong) per case and a
# last line `N passed, N failed`. Exits 1 when a case failed, 2 on bad usage.
# Needs jq; the colour cases need script(1) (util-linux) and are skipped
# without it.
set -u

[ $# -eq 1 ] || { echo "usage: $0 BIN" >&2; exit 2; }
bin=$1
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "$0: $bin: not an executable" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "$0: jq is required" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/id-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err
passed=0
failed=0
why=

# run ARGS...: run the binary (stdin from /dev/null), keep stdout/stderr, set $rc.
run() {
	"$bin" "$@" </dev/null >"$out" 2>"$err"
	rc=$?
}

# run_in FILE ARGS...: the same with stdin from FILE.
run_in() {
	local in=$1
	shift
	"$bin" "$@" <"$in" >"$out" 2>"$err"
	rc=$?
}

fail() { why="$why${why:+; }$*"; }
want_rc() { [ "$rc" = "$1" ] || fail "exit status $rc, expected $1"; }
out_has() { grep -q -F -- "$1" "$out" || fail "stdout lacks '$1'"; }
err_has() { grep -q -F -- "$1" "$err" || fail "stderr lacks '$1'"; }
out_empty() { [ ! -s "$out" ] || fail "stdout not empty"; }
err_empty() { [ ! -s "$err" ] || fail "stderr not empty: $(head -c 200 "$err")"; }
err_lines() {
	local n
	n=$(wc -l <"$err")
	[ "$n" = "$1" ] || fail "stderr has $n lines, expected $1"
}

# done_case NAME: report the case from the failures collected since the last one.
done_case() {
	if [ -z "$why" ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1: $why"
		sed 's/^/#   stderr: /' "$err" | head -n 5
		failed=$((failed + 1))
	fi
	why=
}

# usage_error NAME MESSAGE CMD ARGS...: exit 2, the message, the hint, nothing on stdout.
usage_error() {
	local name=$1 msg=$2 cmd=$3
	shift 2
	run "$@"
	want_rc 2
	err_has "ingress-doctor: $msg"
	err_has "try 'ingress-doctor $cmd --help'"
	err_lines 2
	out_empty
	done_case "$name"
}

# ---- global ----

run
want_rc 2
err_has "usage: ingress-doctor COMMAND"
out_empty
done_case "no arguments: usage on stderr, exit 2"

for h in --help -h help; do
	run "$h"
	want_rc 0
	out_has "usage: ingress-doctor COMMAND"
	for c in diagnose demo version logs snapshot; do out_has "  $c "; done
	err_empty
	done_case "$h lists the commands"
done

run version
want_rc 0
grep -q -E '^ingress-doctor [0-9]+\.[0-9]+\.[0-9]+' "$out" || fail "no version line"
err_empty
done_case "version"

run --version
want_rc 0
grep -q -E '^ingress-doctor [0-9]+\.[0-9]+\.[0-9]+' "$out" || fail "no version line"
done_case "--version"

run frobnicate
want_rc 2
err_has "ingress-doctor: unknown command 'frobnicate'"
err_has "try 'ingress-doctor --help'"
done_case "unknown command"

# ---- help of each command, generated from its option table ----

for c in diagnose demo version logs snapshot; do
	run "$c" --help
	want_rc 0
	out_has "usage: ingress-doctor $c"
	out_has "-h, --help"
	err_empty
	done_case "$c --help"
done
run diagnose -h
want_rc 0
for o in "-n, --namespace NS" "-A, --all-namespaces" "--from PATH" "--logs FILE" \
	"-o, --output FORMAT" "-v, --verbose" "--no-color" "--context NAME" "--kubeconfig FILE" \
	"--request-timeout DURATION"; do
	out_has "$o"
done
done_case "diagnose -h documents every option"
run help diagnose
want_rc 0
out_has "usage: ingress-doctor diagnose"
done_case "help diagnose"

# ---- usage errors ----

usage_error "unknown long option" "unknown option '--bogus'" diagnose diagnose --bogus --from x
usage_error "unknown short option" "unknown option '-x'" diagnose diagnose -x --from x
usage_error "-n without a value" "option '-n/--namespace' needs a value" diagnose \
	diagnose --from x -n
usage_error "--from without a value" "option '--from' needs a value" diagnose diagnose --from
usage_error "-n and -A together" "-n/--namespace and -A/--all-namespaces cannot be used together" \
	diagnose diagnose -n shop -A --from x
usage_error "bad -o value" "unknown output format 'yaml'" diagnose diagnose -o yaml --from x
usage_error "value given to a flag" "option '--no-color' takes no value" diagnose \
	diagnose --no-color=yes --from x
usage_error "invalid namespace" "invalid namespace 'Bad_NS'" diagnose diagnose -n Bad_NS --from x
usage_error "NS/NAME outside -n" "Ingress 'other/web' is not in namespace 'shop'" diagnose \
	diagnose -n shop other/web --from x
usage_error "stdin twice" "standard input ('-') can be given only once" diagnose \
	diagnose --from - --logs -
usage_error "demo takes no operand" "demo takes no arguments" demo demo extra
usage_error "demo has no -n" "unknown option '-n'" demo demo -n shop
usage_error "version takes no operand" "version takes no arguments" version version extra

run -n shop diagnose
want_rc 2
err_has "options follow the command"
done_case "option before the command"

# ---- not built yet: honest, exit 2 ----

# ---- live cluster without any kubeconfig (tests/run-live.sh covers a server) ----

HOME=$tmp/nohome KUBECONFIG= KUBERNETES_SERVICE_HOST= run diagnose
want_rc 2
err_has "no kubeconfig found"
out_empty
done_case "diagnose without --from and no kubeconfig: says so, exit 2"

HOME=$tmp/nohome KUBECONFIG= run diagnose --context prod -n shop
want_rc 2
err_has 'context "prod" does not exist'
done_case "--context naming no context: exit 2"

HOME=$tmp/nohome KUBECONFIG= run snapshot -o "$tmp/snapdir"
want_rc 2
err_has "no kubeconfig found"
done_case "snapshot without a kubeconfig: exit 2"

run snapshot
want_rc 2
err_has "-o DIR is required"
done_case "snapshot without -o: usage error"

# ---- input errors ----

run diagnose --from "$tmp/does-not-exist.json"
want_rc 2
err_has "does-not-exist.json"
out_empty
done_case "nonexistent --from path: exit 2 naming it"

: >"$tmp/empty.json"
run diagnose --from "$tmp/empty.json"
want_rc 2
err_has "no Kubernetes objects"
done_case "input without objects: exit 2"

printf '{"kind": "List", "items": [' >"$tmp/broken.json"
run diagnose --from "$tmp/broken.json"
want_rc 2
err_has "broken.json"
done_case "invalid JSON: exit 2 naming the file"

cat >"$tmp/one.yaml" <<'EOF'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  creationTimestamp: "2026-11-02T10:00:00Z"
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
EOF
run_in "$tmp/one.yaml" diagnose --from - -o json
case "$rc" in 0 | 1) ;; *) fail "exit status $rc, expected 0 or 1" ;; esac
jq -e '.ingresses[0].namespace == "shop" and .ingresses[0].name == "web" and
	(.ingresses[0].paths[0].status | IN("ok", "degraded", "broken")) and
	.snapshotTime == "2026-11-02T10:00:00Z"' "$out" >/dev/null || fail "unexpected JSON"
done_case "--from - reads standard input"

run diagnose --from "$tmp/one.yaml" nosuch
want_rc 2
err_has "'nosuch' not found"
done_case "unknown INGRESS: exit 2"

run diagnose --from "$tmp/one.yaml" --logs "$tmp/no-such.log"
want_rc 2
err_has "no-such.log"
done_case "unreadable --logs file: exit 2 naming it"

echo '127.0.0.1 - - [02/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 0' >"$tmp/ctl.log"
run diagnose --from "$tmp/one.yaml" --logs "$tmp/ctl.log" -o json
jq -e '[.notes[] | select(test("controller logs: 1 line"))] | length == 1' "$out" >/dev/null ||
	fail "no note saying how many --logs lines were read"
done_case "--logs read and joined: a note counts the lines"

run diagnose --from "$tmp/one.yaml" --kubeconfig /nonexistent
err_has "warning: --kubeconfig is ignored with --from"
done_case "live flags with --from: a warning"

# ---- the demo ----

run demo
want_rc 0
grep -q -E '^\S+/\S+  .*  BROKEN$' "$out" || fail "no BROKEN path line"
grep -q -E '^  \[(ok|XX|!!|\?\?|--)\] (ingress|service|endpoints|pods|nodes) ' "$out" ||
	fail "no chain hop line"
grep -q -E '^[0-9]+ errors?, [0-9]+ warnings?, [0-9]+ infos?$' "$out" || fail "no summary line"
grep -q "$(printf '\033')" "$out" && fail "colour codes although stdout is not a terminal"
done_case "demo: exit 0 (broken on purpose), chain text, no colour into a file"

run demo -o json
want_rc 0
jq -e . "$out" >/dev/null || fail "not valid JSON"
jq -e '(.findings | length) > 0 and (.ingresses | length) > 0 and .summary.errors > 0 and
	(.findings[0] | has("id") and has("severity") and has("kind") and has("namespace") and
	 has("name") and has("ingresses") and has("message") and has("evidence") and has("fix") and
	 has("commands")) and
	([.ingresses[].paths[].status] | all(IN("ok", "degraded", "broken")))' "$out" >/dev/null ||
	fail "JSON lacks the interface fields"
err_empty
done_case "demo -o json: valid JSON with the interface fields"

# findings sorted: severity (error, warning, info)
jq -e '[.findings[].severity | {"error": 0, "warning": 1, "info": 2}[.]] |
	. == sort' "$out" >/dev/null || fail "findings not sorted by severity"
done_case "demo -o json: findings sorted by severity"

run demo -o text
want_rc 0
done_case "demo -o text"

"$bin" demo 2>"$err" | head -n 1 >"$out"
rc=${PIPESTATUS[0]}
want_rc 0
err_empty
[ "$(wc -l <"$out")" = 1 ] || fail "head did not get a line"
done_case "demo | head -1: no crash, no message"

"$bin" demo -o json -v 2>"$err" | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
want_rc 0
err_empty
done_case "demo -o json | head -c 1: no crash, no message"

# a report far bigger than a pipe buffer, so the writer really meets EPIPE
for i in $(seq 1 3000); do
	printf -- '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web%s, namespace: ns}\n' "$i"
	printf 'spec: {rules: [{host: h%s.example.com, http: {paths: [{path: /, pathType: Prefix, ' "$i"
	printf 'backend: {service: {name: s, port: {number: 80}}}}]}}]}\n'
done >"$tmp/big.yaml"
for fmt in text json; do
	"$bin" diagnose --from "$tmp/big.yaml" -o "$fmt" 2>"$err" | head -n 1 >"$out"
	rc=${PIPESTATUS[0]}
	case "$rc" in 0 | 1) ;; *) fail "exit status $rc, expected 0 or 1" ;; esac
	err_empty
	done_case "big $fmt report | head -1: quiet exit on EPIPE"
done

if [ -w /dev/full ]; then
	"$bin" demo >/dev/full 2>"$err"
	rc=$?
	want_rc 4
	err_has "cannot write"
	done_case "output to a full disk: exit 4 with a message"
fi

# ---- colour: only on a terminal, never with NO_COLOR or --no-color ----

if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	# a real terminal type, whatever the caller's (CI may have TERM=dumb or none)
	export TERM=xterm
	unset NO_COLOR
	script -q -c "'$bin' demo" /dev/null >"$out" 2>&1 </dev/null
	grep -q "$esc\[" "$out" || fail "no colour on a terminal"
	done_case "colour on a terminal"

	TERM=dumb script -q -c "'$bin' demo" /dev/null >"$out" 2>&1 </dev/null
	grep -q "$esc\[" "$out" && fail "colour on TERM=dumb"
	done_case "no colour with TERM=dumb"

	NO_COLOR=1 script -q -c "'$bin' demo" /dev/null >"$out" 2>&1 </dev/null
	grep -q "$esc\[" "$out" && fail "colour despite NO_COLOR"
	grep -q "BROKEN" "$out" || fail "no report"
	done_case "NO_COLOR respected"

	script -q -c "'$bin' demo --no-color" /dev/null >"$out" 2>&1 </dev/null
	grep -q "$esc\[" "$out" && fail "colour despite --no-color"
	done_case "--no-color respected"

	script -q -c "'$bin' demo -o json" /dev/null >"$out" 2>&1 </dev/null
	grep -q "$esc\[" "$out" && fail "colour in JSON"
	done_case "JSON never coloured"
else
	echo "ok - colour cases # skip: script(1) not installed"
fi

# ---- kubectl plugin ----

ln -s "$bin" "$tmp/kubectl-ingress_doctor"
"$tmp/kubectl-ingress_doctor" version >"$out" 2>"$err"
rc=$?
want_rc 0
grep -q -E '^ingress-doctor [0-9]' "$out" || fail "no version line"
"$tmp/kubectl-ingress_doctor" diagnose --bogus >"$out" 2>"$err"
rc=$?
want_rc 2
err_has "try 'kubectl ingress-doctor diagnose --help'"
"$tmp/kubectl-ingress_doctor" demo -o json >"$out" 2>"$err"
rc=$?
want_rc 0
jq -e . "$out" >/dev/null || fail "plugin demo JSON invalid"
done_case "as kubectl plugin kubectl-ingress_doctor"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
