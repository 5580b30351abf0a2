#!/bin/sh
# netpol.sh: the NetworkPolicy benchmark (issue 5): `diagnose -A` on the same
# generated snapshot without NetworkPolicies and with N of them (default
# 5,000), best wall time of R runs each, and the ratio (target: <= 1.20).
# Not a test: exits 0 whatever the figures.
#
#   bench/netpol.sh build/ingress-doctor [PODS] [NETPOLS] [RUNS]
#
# Snapshots go to bench/out/ (gitignored); the generator is built there too.
set -eu
BIN=${1:?usage: bench/netpol.sh path/to/ingress-doctor [pods] [netpols] [runs]}
PODS=${2:-36000}
NP=${3:-5000}
RUNS=${4:-5}
CC=${CC:-cc}
OUT=bench/out
mkdir -p "$OUT/bin"
$CC -O2 -std=c17 -D_GNU_SOURCE -o "$OUT/bin/gen_snapshot" bench/gen_snapshot.c \
	bench/gen_emit.c bench/gen_pods.c bench/gen_fields.c bench/gen_net.c \
	bench/gen_ingress.c bench/gen_objs.c bench/gen_workload.c -lm
"$OUT/bin/gen_snapshot" --seed 1 --pods "$PODS" -o "$OUT/netpol-0.json"
"$OUT/bin/gen_snapshot" --seed 1 --pods "$PODS" --netpols "$NP" -o "$OUT/netpol-$NP.json"
cat "$OUT/netpol-0.json" "$OUT/netpol-$NP.json" > /dev/null   # warm the page cache

best() {
	b=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		s=$(date +%s.%N)
		"$BIN" diagnose --from "$1" -A -o json > /dev/null || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

t0=$(best "$OUT/netpol-0.json")
t1=$(best "$OUT/netpol-$NP.json")
printf 'pods %s: no NetworkPolicy %.2f s, %s NetworkPolicies %.2f s, ratio %.3f (target <= 1.20)\n' \
	"$PODS" "$t0" "$NP" "$t1" "$(echo "$t1 / $t0" | bc -l)"
