# broken cluster 6: containers of Running pods that cannot be recreated.
#   python3 c6.py OUT.json            rw-container-config-error
#   python3 c6.py OUT.json --healthy  rw-container-config-error-healthy (the same, fixed)
# shop/api: one of two replicas restarted after a deploy removed DATABASE_URL
# from ConfigMap api-config; the kubelet cannot recreate its container
# (CreateContainerConfigError) and the pod stays Running, not ready.
# shop/web: its only pod restarted and the image tag (imagePullPolicy Always)
# was deleted from the registry: ImagePullBackOff on a Running pod.
# The healthy twin has the key back and the tag re-pushed: both containers
# running again after one restart (restartCount 2 / 1, below the threshold).
import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k import *
HEALTHY = "--healthy" in sys.argv[2:]
I = []
I += [node("node-a", "10.0.0.1"), node("node-b", "10.0.0.2")]
NGX = "registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:d5f8217feeac4887cb1ed21f27c2674e58be06bd8f5184cacea2a69abaf78dce"
I.append(iclass("nginx", "k8s.io/ingress-nginx", default=True))
c = container("controller", NGX, ports=[{"name": "http", "containerPort": 80}, {"name": "https", "containerPort": 443}], ready=probe(10254), live=probe(10254), args=["/nginx-ingress-controller", "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller", "--election-id=ingress-nginx-leader", "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx", "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller"])
I.append(pod("ingress-nginx", "ingress-nginx-controller-6c7b9-q4m2x", {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/part-of": "ingress-nginx"}, [c], [running("controller", NGX)], "node-a", "10.244.0.5", owner_=owner("ReplicaSet", "ingress-nginx-controller-6c7b9")))
cm_data = {"LOG_LEVEL": "info", "CACHE_TTL": "300"}
if HEALTHY:
    cm_data["DATABASE_URL"] = "postgres://api@db.shop.svc:5432/shop"
I.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("ConfigMap", "shop", "api-config", age=600), "data": cm_data})
API = "ghcr.io/example/shop-api:2.4.1"
WEB = "ghcr.io/example/shop-web:3.0.0-rc2"
def svcset(name, ready_pods, notready, port):
    I.append(svc("shop", name, {"app": name}, [sport(80, "http", "http")]))
    I.append(slice_("shop", name, "x7q2k", [ep(p) for p in ready_pods] + [ep(p, ready=False) for p in notready], eports(("http", port))))
    I.append(endpoints("shop", name, ready_pods, notready, eports(("http", port))))
def apod(app, image, sfx, nd, ip, status, port, ready=True, pull="IfNotPresent", env=None):
    k = container("app", image, ports=[{"name": "http", "containerPort": port}], ready=probe("http"), prestop={"exec": {"command": ["sleep", "5"]}}, env=env, extra={"imagePullPolicy": pull})
    return pod("shop", f"{app}-5f6d8c9b7-{sfx}", {"app": app, "pod-template-hash": "5f6d8c9b7"}, [k], status, nd, ip, owner_=owner("ReplicaSet", f"{app}-5f6d8c9b7"), ready=ready, age=86400*2)
def waiting(image, reason, msg, restarts, last):
    return {"name": "app", "image": image, "imageID": "", "ready": False, "restartCount": restarts, "started": False,
            "state": {"waiting": {"reason": reason, "message": msg}}, "lastState": {"terminated": last}}
ENV = [{"name": "DATABASE_URL", "valueFrom": {"configMapKeyRef": {"name": "api-config", "key": "DATABASE_URL"}}},
       {"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"name": "api-config", "key": "LOG_LEVEL"}}}]
a1_last = terminated("Error", 1, 86400*2, 420)
if HEALTHY:
    a1_st = [running("app", API, restarts=2, started=300, last=a1_last)]
else:
    a1_st = [waiting(API, "CreateContainerConfigError", "couldn't find key DATABASE_URL in ConfigMap shop/api-config", 1, a1_last)]
a1 = apod("api", API, "k2v8p", "node-a", "10.244.0.21", a1_st, 8080, ready=HEALTHY, env=ENV)
a2 = apod("api", API, "r9w4t", "node-b", "10.244.1.21", [running("app", API, started=86400*2)], 8080, env=ENV)
I += [a1, a2]
svcset("api", [a1, a2] if HEALTHY else [a2], [] if HEALTHY else [a1], 8080)
w1_last = terminated("Error", 137, 86400*2, 900)
if HEALTHY:
    w1_st = [running("app", WEB, restarts=1, started=240, last=w1_last)]
else:
    w1_st = [waiting(WEB, "ImagePullBackOff", "Back-off pulling image \"%s\"" % WEB, 1, w1_last)]
w1 = apod("web", WEB, "m3n7c", "node-b", "10.244.1.30", w1_st, 3000, ready=HEALTHY, pull="Always")
I += [w1]
svcset("web", [w1] if HEALTHY else [], [] if HEALTHY else [w1], 3000)
if not HEALTHY:
    I.append(event("shop", "Pod", a1["metadata"]["name"], "Failed", "Error: couldn't find key DATABASE_URL in ConfigMap shop/api-config", count=33, first=415, last=15, field="spec.containers{app}", obj_uid=a1["metadata"]["uid"], host="node-a"))
    I.append(event("shop", "Pod", w1["metadata"]["name"], "Failed", "Failed to pull image \"%s\": rpc error: code = NotFound desc = failed to pull and unpack image \"%s\": failed to resolve reference \"%s\": %s: not found" % (WEB, WEB, WEB, WEB), count=9, first=890, last=40, field="spec.containers{app}", obj_uid=w1["metadata"]["uid"], host="node-b"))
    I.append(event("shop", "Pod", w1["metadata"]["name"], "Failed", "Error: ImagePullBackOff", count=31, first=880, last=10, field="spec.containers{app}", obj_uid=w1["metadata"]["uid"], host="node-b"))
    I.append(event("shop", "Pod", w1["metadata"]["name"], "BackOff", "Back-off pulling image \"%s\"" % WEB, typ="Normal", count=31, first=880, last=10, field="spec.containers{app}", obj_uid=w1["metadata"]["uid"], host="node-b"))
I.append(deploy("shop", "api", {"app": "api"}, 2, ready=2 if HEALTHY else 1))
I.append(deploy("shop", "web", {"app": "web"}, 1, ready=1 if HEALTHY else 0))
I.append(ingress("shop", "storefront", [rule("shop.example.com", ("/api", "Prefix", be("api", "http")), ("/", "Prefix", be("web", "http")))], cls="nginx"))
write(sys.argv[1], I)
