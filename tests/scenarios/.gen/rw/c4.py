import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k import *
I = []
I += [node("node-a", "10.0.0.1"), node("node-b", "10.0.0.2")]
NGX = "registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:d5f8217feeac4887cb1ed21f27c2674e58be06bd8f5184cacea2a69abaf78dce"
I.append(iclass("nginx", "k8s.io/ingress-nginx", default=True))
c = container("controller", NGX, ports=[{"name": "http", "containerPort": 80}], ready=probe(10254), live=probe(10254), args=["/nginx-ingress-controller", "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx"])
# controller OOMKilled 10 days ago, stable since
I.append(pod("ingress-nginx", "ingress-nginx-controller-5d8b9-abcde", {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}, [c], [running("controller", NGX, restarts=1, started=86400*10, last=terminated("OOMKilled", 137, 86400*20, 86400*10))], "node-a", "10.244.0.5", owner_=owner("ReplicaSet", "ingress-nginx-controller-5d8b9"), age=86400*20))
IMG = "ghcr.io/example/db-ui:2.0"
# statefulset pod recreated 10 min ago; events of the previous incarnation (other uid) must not count
ss = []
for i in range(2):
    cc = container("ui", IMG, ports=[{"name": "http", "containerPort": 8080}], ready=probe("http"), live=probe("http", delay=20), prestop={"exec": {"command": ["sleep", "5"]}})
    ss.append(pod("data", f"ui-{i}", {"app": "ui"}, [cc], [running("ui", IMG, started=550 if i == 0 else 86400)], "node-a" if i == 0 else "node-b", f"10.244.{i}.50", owner_=owner("StatefulSet", "ui"), age=600 if i == 0 else 86400))
I += ss
for m in ["Readiness probe failed: HTTP probe failed with statuscode: 500", "Liveness probe failed: HTTP probe failed with statuscode: 500"]:
    I.append(event("data", "Pod", "ui-0", "Unhealthy", m, count=30, first=1800, last=700, field="spec.containers{ui}", obj_uid=uid("old-ui-0")))
I.append(event("data", "Pod", "ui-0", "Killing", "Container ui failed liveness probe, will be restarted", typ="Normal", count=3, first=1500, last=700, field="spec.containers{ui}", obj_uid=uid("old-ui-0")))
I.append(svc("data", "ui", {"app": "ui"}, [sport(80, "http", "http")]))
I.append(svc("data", "ui-headless", {"app": "ui"}, [sport(8080, "http", "http")], headless=True))
for s in ("ui", "ui-headless"):
    I.append(slice_("data", s, "aaaaa", [ep(p) for p in ss], eports(("http", 8080))))
    I.append(endpoints("data", s, ss, [], eports(("http", 8080))))
# liveness killed 3 days ago, stable since (events retained by an exporter)
lv = pod("data", "api-6c7d8-zz9yy", {"app": "api"}, [container("api", IMG, ports=[{"name": "http", "containerPort": 8080}], ready=probe("http"), live=probe("http"), prestop={"exec": {"command": ["sleep", "5"]}})],
         [running("api", IMG, restarts=2, started=86400*3, last=terminated("Error", 137, 86400*3+600, 86400*3))], "node-b", "10.244.1.60", owner_=owner("ReplicaSet", "api-6c7d8"), age=86400*9)
I.append(lv)
I.append(event("data", "Pod", lv["metadata"]["name"], "Unhealthy", "Liveness probe failed: Get \"http://10.244.1.60:8080/\": context deadline exceeded", count=6, first=86400*3+200, last=86400*3+10, field="spec.containers{api}", obj_uid=lv["metadata"]["uid"]))
I.append(event("data", "Pod", lv["metadata"]["name"], "Killing", "Container api failed liveness probe, will be restarted", typ="Normal", count=2, first=86400*3+100, last=86400*3+5, field="spec.containers{api}", obj_uid=lv["metadata"]["uid"]))
I.append(svc("data", "api", {"app": "api"}, [sport(80, "http", "http")]))
I.append(slice_("data", "api", "bbbbb", [ep(lv)], eports(("http", 8080))))
I.append(endpoints("data", "api", [lv], [], eports(("http", 8080))))
I.append(ingress("data", "ui", [rule("ui.example.com", ("/", "Prefix", be("ui", 80)), ("/direct", "Prefix", be("ui-headless", 8080)), ("/api", "Prefix", be("api", "http")))], cls="nginx"))
write(sys.argv[1], I)
