#!/usr/bin/env python3
"""netpol_scenarios: writes the NetworkPolicy scenario folders (netpol-*).

Each starts from the healthy cluster of service-partially-ready-healthy
(ingress-nginx controller in namespace ingress-nginx, Service shop/api with
three ready pods on targetPort http = 8080) and adds NetworkPolicies.
Run from the repository root: python3 tests/scenarios/gen/netpol_scenarios.py

netpol-blocks-controller fires only once the engine calls check_network():
until then the folders where it fires get "expected.pending" (the runner
skips a folder without "expected"); --wired writes "expected" instead.
"""
import os
import shutil
import sys

sys.dont_write_bytecode = True   # no __pycache__ next to the scenarios

from scenlib import RETIRED, write_json, write_expected  # noqa: E402

BASE = "tests/scenarios/service-partially-ready-healthy/snapshot"
PODS = ["api-a033a528b-x2k4p", "api-a033a528b-q9m7z", "api-a033a528b-h5v8n"]
CTL = "ingress-nginx-controller-6b8f7d9c4d-7xk2p"


def np(ns, name, spec, uid):
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": ns, "uid": uid, "resourceVersion": "4711",
                     "generation": 1, "creationTimestamp": "2026-03-01T08:00:00Z"},
        "spec": spec,
    }


DENY_INGRESS = np("shop", "default-deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]},
                  "0b6d8f0e-1c1a-4f3e-9a55-3d2c8e1f0a01")
ALLOW_FRONTEND = np("shop", "allow-frontend", {
    "podSelector": {"matchLabels": {"app": "api"}},
    "policyTypes": ["Ingress"],
    "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}],
                 "ports": [{"protocol": "TCP", "port": 8080}]}],
}, "0b6d8f0e-1c1a-4f3e-9a55-3d2c8e1f0a02")
ALLOW_NGINX = np("shop", "allow-ingress-nginx", {
    "podSelector": {"matchLabels": {"app": "api"}},
    "policyTypes": ["Ingress"],
    "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "ingress-nginx"}},
                           "podSelector": {"matchLabels": {
                    "app.kubernetes.io/name": "ingress-nginx"}}}],
                 "ports": [{"protocol": "TCP", "port": "http"}]}],
}, "0b6d8f0e-1c1a-4f3e-9a55-3d2c8e1f0a03")
# the mistake: a '-' before podSelector makes it a second, same-namespace peer
ALLOW_NGINX_SPLIT = np("shop", "allow-ingress-nginx", {
    "podSelector": {"matchLabels": {"app": "api"}},
    "policyTypes": ["Ingress"],
    "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "monitoring"}}},
                          {"podSelector": {"matchLabels": {
                    "app.kubernetes.io/name": "ingress-nginx"}}}],
                 "ports": [{"protocol": "TCP", "port": 8080}]}],
}, "0b6d8f0e-1c1a-4f3e-9a55-3d2c8e1f0a04")
EGRESS_DNS_ONLY = np("ingress-nginx", "egress-dns-only", {
    "podSelector": {},
    "policyTypes": ["Egress"],
    "egress": [{"to": [{"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
               {"to": [{"ipBlock": {"cidr": "10.0.0.1/32"}}],
                "ports": [{"protocol": "TCP", "port": 6443}]}],
}, "0b6d8f0e-1c1a-4f3e-9a55-3d2c8e1f0a05")
EGRESS_ALLOW_SHOP = np("ingress-nginx", "egress-to-backends", {
    "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}},
    "policyTypes": ["Egress"],
    "egress": [{"to": [{"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "shop"}}}],
                "ports": [{"protocol": "TCP", "port": "http"}]}],
}, "0b6d8f0e-1c1a-4f3e-9a55-3d2c8e1f0a06")


SCENARIOS = {
    "netpol-blocks-controller": dict(
        why="default deny in shop; the only allow rule admits app=frontend pods, not the "
            "ingress controller (Namespace objects absent: namespace labels derived)",
        pols=[DENY_INGRESS, ALLOW_FRONTEND], namespaces=False, blocked=True),
    "netpol-blocks-controller-healthy": dict(
        why="the same, plus a policy admitting the controller (namespaceSelector AND "
            "podSelector in one item, named port http)",
        pols=[DENY_INGRESS, ALLOW_FRONTEND, ALLOW_NGINX], namespaces=False, blocked=False),
    "netpol-and-or-mistake": dict(
        why="namespaceSelector and podSelector written as two from items: the podSelector "
            "alone selects pods of shop only, so the controller in ingress-nginx is blocked",
        pols=[DENY_INGRESS, ALLOW_NGINX_SPLIT], namespaces=True, blocked=True),
    "netpol-egress-controller": dict(
        why="the controller's namespace allows egress to DNS and the API server only: the "
            "controller cannot reach the backend pods",
        pols=[EGRESS_DNS_ONLY], namespaces=True, blocked=True),
    "netpol-egress-controller-healthy": dict(
        why="the same plus an egress rule to namespace shop on the named port http",
        pols=[EGRESS_DNS_ONLY, EGRESS_ALLOW_SHOP], namespaces=True, blocked=False),
}


WIRED = "--wired" in sys.argv


def main():
    for name, s in SCENARIOS.items():
        d = os.path.join("tests/scenarios", name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(BASE, os.path.join(d, "snapshot"))
        if not s["namespaces"]:
            os.remove(os.path.join(d, "snapshot", "01-namespace.json"))
        lst = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicyList",
               "metadata": {"resourceVersion": "4711"}, "items": s["pols"]}
        write_json(os.path.join(d, "snapshot", "11-networkpolicy.json"), lst)
        exp = "expected" if (WIRED or not s["blocked"]) else "expected.pending"
        lines = ["error netpol-blocks-controller Pod shop/%s" % p for p in PODS] if s["blocked"] else []
        lines += [RETIRED, "path shop/web shop.example.com/ %s" % ("broken" if s["blocked"] else "ok")]
        write_expected(os.path.join(d, exp),
                       ["%s: %s" % (name, s["why"]),
                        "generated by tests/scenarios/gen/netpol_scenarios.py",
                        "netpol-blocks-controller fires only once the engine calls check_network()"],
                       lines)


if __name__ == "__main__":
    main()
