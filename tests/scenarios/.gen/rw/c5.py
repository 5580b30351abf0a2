import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k import *
I = []
I += [node("node-a", "10.0.0.1"), node("node-b", "10.0.0.2")]
TR = "docker.io/traefik:v3.1.2"
I.append(iclass("traefik", "traefik.io/ingress-controller", default=True))
c = container("traefik", TR, ports=[{"name": "web", "containerPort": 8000}], ready=probe(9000, "/ping"), live=probe(9000, "/ping"))
I.append(pod("traefik", "traefik-5f8d7c6b9-qw2er", {"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-traefik"}, [c], [running("traefik", TR)], "node-a", "10.4.0.30", owner_=owner("ReplicaSet", "traefik-5f8d7c6b9")))
IMG = "ghcr.io/example/app:1.0"
def mk(name, i, ready=True, started=86400, ports=[{"name": "http", "containerPort": 8080}], labels=None):
    cc = container("app", IMG, ports=ports, ready=probe(8080), prestop={"exec": {"command": ["sleep", "5"]}})
    return pod("apps", f"{name}-{i}", labels or {"app": name}, [cc], [running("app", IMG, ready=ready, started=started)], "node-a", f"10.4.9.{len(I)}", ready=ready, owner_=owner("StatefulSet", name))
# publishNotReadyAddresses with a pod not ready: endpoints ready=true by design
p0, p1 = mk("pnra", 0), mk("pnra", 1, ready=False, started=600)
I += [p0, p1]
I.append(svc("apps", "pnra", {"app": "pnra"}, [sport(80, 8080, "http")], pnra=True))
I.append(slice_("apps", "pnra", "aaaaa", [ep(p0), ep(p1, ready=True, serving=True)], eports(("http", 8080))))
I.append(endpoints("apps", "pnra", [p0, p1], [], eports(("http", 8080))))
I.append(event("apps", "Pod", "pnra-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count=50, first=590, last=5, field="spec.containers{app}", obj_uid=p1["metadata"]["uid"]))
# single unnamed port
q = mk("plain", 0, ports=None)
I.append(q)
I.append(svc("apps", "plain", {"app": "plain"}, [sport(8080, 8080)]))
I.append(slice_("apps", "plain", "bbbbb", [ep(q)], [{"name": "", "port": 8080, "protocol": "TCP"}]))
I.append(endpoints("apps", "plain", [q], [], [{"port": 8080, "protocol": "TCP"}]))
I.append(svc("apps", "docs", None, None, typ="ExternalName", ext="docs.example.org"))
I.append(ingress("apps", "all", [rule("a.example.com", ("/pnra", "Prefix", be("pnra", 80)), ("/plain", "Prefix", be("plain", 8080)), ("/docs", "Prefix", be("docs", 443)))], lb="10.0.0.100"))
write(sys.argv[1], I)
