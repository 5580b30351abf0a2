# broken cluster 3: pod failures
import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k import *
I = []
NODES = ["node-a", "node-b", "node-c"]
I += [node("node-a", "10.0.0.1"), node("node-b", "10.0.0.2"), node("node-c", "10.0.0.3", unsched=True)]
NGX = "registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:d5f8217feeac4887cb1ed21f27c2674e58be06bd8f5184cacea2a69abaf78dce"
I.append(iclass("nginx", "k8s.io/ingress-nginx", default=True))
c = container("controller", NGX, ports=[{"name": "http", "containerPort": 80}, {"name": "https", "containerPort": 443}], ready=probe(10254), live=probe(10254), args=["/nginx-ingress-controller", "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller", "--election-id=ingress-nginx-leader", "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx", "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller"])
I.append(pod("ingress-nginx", "ingress-nginx-controller-5d8b9-abcde", {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/part-of": "ingress-nginx"}, [c], [running("controller", NGX)], "node-a", "10.244.0.5", owner_=owner("ReplicaSet", "ingress-nginx-controller-5d8b9")))
IMG = "ghcr.io/example/app:1.0.0"
def svcset(ns, name, pods, ready_pods, notready):
    I.append(svc(ns, name, {"app": name}, [sport(80, "http", "http")]))
    I.append(slice_(ns, name, "aaaaa", [ep(p) for p in ready_pods] + [ep(p, ready=False) for p in notready], eports(("http", 8080))))
    I.append(endpoints(ns, name, ready_pods, notready, eports(("http", 8080))))
def apod(name, sfx, nd, ip, status, ready=True, phase="Running", probes=True, res="burstable", qos="Burstable", age=86400*3, **kw):
    c = container("app", IMG, ports=[{"name": "http", "containerPort": 8080}], ready=probe("http") if probes else None, prestop={"exec": {"command": ["sleep", "5"]}}, res=res)
    return pod("prod", f"{name}-7f8d9c6b5-{sfx}", {"app": name, "pod-template-hash": "7f8d9c6b5"}, [c], status, nd, ip, owner_=owner("ReplicaSet", f"{name}-7f8d9c6b5"), phase=phase, ready=ready, qos=qos, age=age, **kw)
def waiting(reason, msg, restarts=0, last=None):
    s = {"name": "app", "image": IMG, "imageID": "", "ready": False, "restartCount": restarts, "started": False, "state": {"waiting": {"reason": reason, "message": msg}}, "lastState": {}}
    if last: s["lastState"] = {"terminated": last}
    return s
# a: ImagePullBackOff on one of two pods (rollout stuck)
a1 = apod("alpha", "aaaa1", "node-a", "10.244.0.10", [running("app", IMG)])
a2 = apod("alpha", "aaaa2", "node-b", "10.244.1.10", [waiting("ImagePullBackOff", "Back-off pulling image \"ghcr.io/example/app:1.0.1\"")], ready=False, age=600, phase="Pending")
I += [a1, a2]; svcset("prod", "alpha", [a1, a2], [a1], [a2])
I.append(event("prod", "Pod", a2["metadata"]["name"], "Failed", "Failed to pull image \"ghcr.io/example/app:1.0.1\": rpc error: code = NotFound desc = failed to pull and unpack image: not found", count=6, first=590, last=20, field="spec.containers{app}", obj_uid=a2["metadata"]["uid"]))
# b: CreateContainerConfigError, only pod
b1 = apod("bravo", "bbbb1", "node-a", "10.244.0.11", [waiting("CreateContainerConfigError", "secret \"bravo-db\" not found")], ready=False, age=900, phase="Pending")
I += [b1]; svcset("prod", "bravo", [b1], [], [b1])
# c: Pending FailedScheduling, and one running pod on the cordoned node (fine)
c1 = apod("charlie", "cccc1", "node-c", "10.244.2.12", [running("app", IMG)])
c2 = apod("charlie", "cccc2", None, None, None, ready=False, phase="Pending", age=1200, conds=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory.", "lastTransitionTime": ts(1200)}])
I += [c1, c2]; svcset("prod", "charlie", [c1, c2], [c1], [])
I.append(event("prod", "Pod", c2["metadata"]["name"], "FailedScheduling", "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", count=14, first=1200, last=60, component="default-scheduler"))
# d: restartCount high but stable for days; OOMKilled long ago; BestEffort; no probes at all
d1 = apod("delta", "dddd1", "node-a", "10.244.0.13", [running("app", IMG, restarts=14, started=86400*4, last=terminated("Error", 1, 86400*4.2, 86400*4))], age=86400*30)
d2 = apod("delta", "dddd2", "node-b", "10.244.1.13", [running("app", IMG, restarts=1, started=86400*6, last=terminated("OOMKilled", 137, 86400*8, 86400*6))], age=86400*30)
I += [d1, d2]; svcset("prod", "delta", [d1, d2], [d1, d2], [])
e1 = apod("echo", "eeee1", "node-a", "10.244.0.14", [running("app", IMG)], probes=False, res="none", qos="BestEffort")
I += [e1]; svcset("prod", "echo", [e1], [e1], [])
# f: OOMKilled recently, restarting now
f1 = apod("foxtrot", "ffff1", "node-b", "10.244.1.15", [running("app", IMG, restarts=4, started=120, last=terminated("OOMKilled", 137, 1500, 125))], age=86400)
I += [f1]; svcset("prod", "foxtrot", [f1], [f1], [])
paths = [("/" + n, "Prefix", be(n, "http")) for n in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")]
I.append(ingress("prod", "apps", [rule("apps.example.com", *paths)]))
write(sys.argv[1], I)
