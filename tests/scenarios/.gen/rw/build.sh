#!/bin/bash
# build.sh: regenerate the snapshots of the rw-* scenarios (realistic clusters
# nobody wrote the checks for: Helm ingress-nginx, meshes, ALB/GKE/Traefik,
# pod failures, old history). Run from anywhere; needs python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
s=$here/../..
python3 "$here/c1.py" "$s/rw-helm-nginx-mesh-healthy/snapshot/cluster.json"
python3 "$here/c2.py" "$s/rw-gke-alb-traefik/snapshot/cluster.json"
python3 "$here/c3.py" "$s/rw-pod-failures/snapshot/cluster.json"
python3 "$here/c4.py" "$here/c4.json"
rm -rf "$s/rw-stale-history-healthy/snapshot"
python3 "$here/dump.py" "$here/c4.json" "$s/rw-stale-history-healthy/snapshot"
rm -f "$here/c4.json"
python3 "$here/c5.py" "$s/rw-pnra-externalname/snapshot/cluster.json"
python3 "$here/c6.py" "$s/rw-container-config-error/snapshot/cluster.json"
python3 "$here/c6.py" "$s/rw-container-config-error-healthy/snapshot/cluster.json" --healthy
