#!/usr/bin/env python3
"""Generate the H5 scenario folders (probes, pods, nodes, controller ids).

The generated snapshots are committed; the test run never needs python.
Run from anywhere: python3 tests/scenarios/.gen/h5.py
Each scenario is one kubectl-style JSON List (snapshot/cluster.json) built
from a healthy base cluster with one fault applied.
"""
import zlib
import os
import sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "gen"))
sys.dont_write_bytecode = True   # no __pycache__ next to the scenarios

from scenlib import RETIRED, meta_extras, write_json, write_expected  # noqa: E402
NOW = datetime(2026, 3, 20, 10, 0, 0, tzinfo=timezone.utc)
CTRL = "ingress-nginx-controller-5c8d66c76d-x7k2p"
CTRL2 = "ingress-nginx-controller-5c8d66c76d-zq9rt"
RS = "web-7d9f8b6c5"
PODS = [(RS + "-abcde", "node-1", "10.244.1.23"), (RS + "-fghij", "node-2", "10.244.2.17"),
        (RS + "-k8s2q", "node-1", "10.244.1.31")]


def ts(delta_seconds=0):
    return (NOW - timedelta(seconds=delta_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def uid(n):
    return "6f1c%04x-1b2c-4d5e-8f90-a1b2c3d4e5f6" % n


def meta(name, ns=None, age=86400 * 12, labels=None, n=0, annotations=None):
    m = {"name": name, "uid": uid(n or zlib.crc32(((ns or "") + "/" + name).encode()) % 65535), "creationTimestamp": ts(age),
         "resourceVersion": str(100000 + (n or 7))}
    return meta_extras(m, ns, labels, annotations)


def app_container():
    return {
        "name": "app",
        "image": "registry.example.com/shop/web:1.4.2",
        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                           "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 1,
                           "successThreshold": 1, "failureThreshold": 3},
        "livenessProbe": {"httpGet": {"path": "/livez", "port": "http", "scheme": "HTTP"},
                          "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1,
                          "successThreshold": 1, "failureThreshold": 3},
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                      "limits": {"memory": "256Mi"}},
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", "10"]}}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent",
    }


def pod(i, started_age=2 * 86400, ready=True):
    name, node, ip = PODS[i]
    start = ts(started_age)
    p = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": meta(name, "shop", started_age + 5,
                         {"app": "web", "pod-template-hash": "7d9f8b6c5"}, 0x100 + i),
        "spec": {"containers": [app_container()], "nodeName": node,
                 "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
                 "serviceAccountName": "default", "dnsPolicy": "ClusterFirst"},
        "status": {
            "phase": "Running", "hostIP": "10.0.0.%d" % (11 if node == "node-1" else 12),
            "podIP": ip, "podIPs": [{"ip": ip}], "startTime": ts(started_age + 3),
            "qosClass": "Burstable",
            "conditions": [
                {"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": ts(started_age + 2)},
                {"type": "Initialized", "status": "True", "lastTransitionTime": ts(started_age + 3)},
                {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": ts(started_age - 8)},
                {"type": "ContainersReady", "status": "True" if ready else "False", "lastTransitionTime": ts(started_age - 8)},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(started_age + 4)},
            ],
            "containerStatuses": [{
                "name": "app", "ready": ready, "started": True, "restartCount": 0,
                "image": "registry.example.com/shop/web:1.4.2",
                "imageID": "registry.example.com/shop/web@sha256:4b1c0a9e2f5d7c3b8a6e1f0d9c2b5a7e3f8d1c6b9a0e4f7d2c5b8a1e6f3d0c9b",
                "containerID": "containerd://%064x" % (0xabc + i),
                "state": {"running": {"startedAt": start}}, "lastState": {},
            }],
        },
    }
    p["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": RS,
                                         "uid": uid(0x50), "controller": True, "blockOwnerDeletion": True}]
    if not ready:
        for c in p["status"]["conditions"]:
            if c["type"] in ("Ready", "ContainersReady"):
                c["reason"] = "ContainersNotReady"
                c["message"] = "containers with unready status: [app]"
    return p


def controller_pod(name=CTRL, version="v1.12.1", ready=True, n=0x200):
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": meta(name, "ingress-nginx", 86400 * 30,
                         {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "ingress-nginx",
                          "app.kubernetes.io/component": "controller", "app.kubernetes.io/part-of": "ingress-nginx",
                          "app.kubernetes.io/version": version.lstrip("v"), "pod-template-hash": "5c8d66c76d"}, n),
        "spec": {
            "containers": [{
                "name": "controller",
                "image": "registry.k8s.io/ingress-nginx/controller:%s@sha256:d2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b" % version,
                "args": ["/nginx-ingress-controller", "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
                         "--election-id=ingress-nginx-leader", "--controller-class=k8s.io/ingress-nginx",
                         "--ingress-class=nginx", "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                         "--validating-webhook=:8443", "--validating-webhook-certificate=/usr/local/certificates/cert",
                         "--validating-webhook-key=/usr/local/certificates/key"],
                "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"},
                          {"name": "https", "containerPort": 443, "protocol": "TCP"},
                          {"name": "webhook", "containerPort": 8443, "protocol": "TCP"}],
                "readinessProbe": {"httpGet": {"path": "/healthz", "port": 10254, "scheme": "HTTP"},
                                   "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1,
                                   "successThreshold": 1, "failureThreshold": 3},
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 10254, "scheme": "HTTP"},
                                  "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1,
                                  "successThreshold": 1, "failureThreshold": 5},
                "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}},
                "lifecycle": {"preStop": {"exec": {"command": ["/wait-shutdown"]}}},
            }],
            "nodeName": "node-1", "serviceAccountName": "ingress-nginx", "terminationGracePeriodSeconds": 300,
        },
        "status": {
            "phase": "Running", "hostIP": "10.0.0.11", "podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}],
            "startTime": ts(86400 * 30), "qosClass": "Burstable",
            "conditions": [
                {"type": "Initialized", "status": "True", "lastTransitionTime": ts(86400 * 30)},
                {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": ts(86400 * 30 - 15)},
                {"type": "ContainersReady", "status": "True" if ready else "False", "lastTransitionTime": ts(86400 * 30 - 15)},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(86400 * 30)},
            ],
            "containerStatuses": [{
                "name": "controller", "ready": ready, "started": True, "restartCount": 0,
                "image": "registry.k8s.io/ingress-nginx/controller:%s" % version,
                "imageID": "registry.k8s.io/ingress-nginx/controller@sha256:d2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b",
                "state": {"running": {"startedAt": ts(86400 * 30 - 2)}}, "lastState": {},
            }],
        },
    }


def node(name, ip, ready="True", pressure=None):
    conds = []
    for t, ok in (("MemoryPressure", "False"), ("DiskPressure", "False"), ("PIDPressure", "False")):
        st = "True" if pressure == t else ok
        reason = {"MemoryPressure": "KubeletHasSufficientMemory", "DiskPressure": "KubeletHasNoDiskPressure",
                  "PIDPressure": "KubeletHasSufficientPID"}[t]
        msg = {"MemoryPressure": "kubelet has sufficient memory available",
               "DiskPressure": "kubelet has no disk pressure", "PIDPressure": "kubelet has sufficient PID available"}[t]
        if st == "True":
            reason = {"MemoryPressure": "KubeletHasInsufficientMemory", "DiskPressure": "KubeletHasDiskPressure",
                      "PIDPressure": "KubeletHasInsufficientPID"}[t]
            msg = {"MemoryPressure": "kubelet has insufficient memory available",
                   "DiskPressure": "kubelet has disk pressure", "PIDPressure": "kubelet has insufficient PID available"}[t]
        conds.append({"type": t, "status": st, "reason": reason, "message": msg,
                      "lastHeartbeatTime": ts(40), "lastTransitionTime": ts(900 if st == "True" else 86400 * 40)})
    if ready == "True":
        conds.append({"type": "Ready", "status": "True", "reason": "KubeletReady",
                      "message": "kubelet is posting ready status", "lastHeartbeatTime": ts(40),
                      "lastTransitionTime": ts(86400 * 40)})
    else:
        conds.append({"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown",
                      "message": "Kubelet stopped posting node status.", "lastHeartbeatTime": ts(260),
                      "lastTransitionTime": ts(200)})
    n = {"apiVersion": "v1", "kind": "Node",
         "metadata": meta(name, None, 86400 * 60, {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                                   "node.kubernetes.io/instance-type": "m6i.large"}),
         "spec": {"podCIDR": "10.244.%s.0/24" % name[-1], "providerID": "aws:///eu-west-1a/i-0%s" % name[-1] * 2},
         "status": {"conditions": conds,
                    "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                    "nodeInfo": {"kubeletVersion": "v1.31.4", "kubeProxyVersion": "v1.31.4",
                                 "containerRuntimeVersion": "containerd://1.7.23", "osImage": "Debian GNU/Linux 12 (bookworm)",
                                 "architecture": "amd64", "operatingSystem": "linux"},
                    "capacity": {"cpu": "2", "memory": "8023596Ki", "pods": "110"}}}
    if ready != "True":
        n["spec"]["taints"] = [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": ts(200)},
                               {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": ts(195)}]
    if pressure == "MemoryPressure":
        n["spec"]["taints"] = [{"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule", "timeAdded": ts(900)}]
    return n


def event(name, involved, reason, message, etype="Warning", count=1, first=60, last=60, component="kubelet",
          host="node-2", field_path=None):
    inv = {"kind": involved["kind"], "namespace": involved["metadata"].get("namespace", ""),
           "name": involved["metadata"]["name"], "uid": involved["metadata"]["uid"],
           "apiVersion": involved.get("apiVersion", "v1")}
    if field_path:
        inv["fieldPath"] = field_path
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": meta(name, involved["metadata"].get("namespace", "default"), first),
            "involvedObject": inv, "reason": reason, "message": message, "type": etype,
            "source": {"component": component, "host": host} if host else {"component": component},
            "reportingComponent": component, "reportingInstance": host or "",
            "count": count, "firstTimestamp": ts(first), "lastTimestamp": ts(last)}


class Cluster:
    def __init__(self, npods=2):
        self.pods = [pod(i) for i in range(npods)]
        self.controllers = [controller_pod()]
        self.nodes = [node("node-1", "10.0.0.11"), node("node-2", "10.0.0.12")]
        self.events = []
        self.extra_pods = []   # pods of the Deployment that get no endpoint (pending, evicted)
        self.cls = ("nginx", "k8s.io/ingress-nginx")
        self.other = []

    def items(self):
        ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": meta("web", "shop", 86400 * 12, {"app": "web"}, 0x10),
               "spec": {"ingressClassName": self.cls[0],
                        "rules": [{"host": "shop.example.com", "http": {"paths": [
                            {"path": "/", "pathType": "Prefix",
                             "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]},
               "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}}
        cls = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
               "metadata": meta(self.cls[0], None, 86400 * 30, {"app.kubernetes.io/name": self.cls[0]}, 0x11,
                                {"ingressclass.kubernetes.io/is-default-class": "true"}),
               "spec": {"controller": self.cls[1]}}
        svc = {"apiVersion": "v1", "kind": "Service",
               "metadata": meta("web", "shop", 86400 * 12, {"app": "web"}, 0x12),
               "spec": {"type": "ClusterIP", "clusterIP": "10.96.45.12", "clusterIPs": ["10.96.45.12"],
                        "selector": {"app": "web"},
                        "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]}}
        eps, ready_addr, notready_addr = [], [], []
        for p in self.pods:
            r = p["status"]["conditions"][[c["type"] for c in p["status"]["conditions"]].index("Ready")]["status"] == "True"
            ip = p["status"]["podIP"]
            ref = {"kind": "Pod", "namespace": "shop", "name": p["metadata"]["name"], "uid": p["metadata"]["uid"]}
            eps.append({"addresses": [ip], "conditions": {"ready": r, "serving": r, "terminating": False},
                        "nodeName": p["spec"]["nodeName"], "targetRef": ref})
            (ready_addr if r else notready_addr).append({"ip": ip, "nodeName": p["spec"]["nodeName"], "targetRef": ref})
        slice_ = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                  "metadata": meta("web-x8j2k", "shop", 86400 * 12,
                                   {"kubernetes.io/service-name": "web",
                                    "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}, 0x13),
                  "addressType": "IPv4", "endpoints": eps,
                  "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}
        subset = {"ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}
        if ready_addr:
            subset["addresses"] = ready_addr
        if notready_addr:
            subset["notReadyAddresses"] = notready_addr
        endpoints = {"apiVersion": "v1", "kind": "Endpoints",
                     "metadata": meta("web", "shop", 86400 * 12, {"app": "web"}, 0x14),
                     "subsets": [subset]}
        nss = [{"apiVersion": "v1", "kind": "Namespace", "metadata": meta(n, None, 86400 * 60, {"kubernetes.io/metadata.name": n}),
                "status": {"phase": "Active"}} for n in ("ingress-nginx", "kube-system", "shop")]
        cm = {"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": meta("ingress-nginx-controller", "ingress-nginx", 86400 * 30,
                               {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}),
              "data": {"allow-snippet-annotations": "false"}}
        coredns = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": meta("coredns-6f6b679f8f-2vq7n", "kube-system", 86400 * 40, {"k8s-app": "kube-dns"}),
                   "spec": {"nodeName": "node-1", "containers": [{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.3",
                                                                  "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"}],
                                                                  "resources": {"requests": {"memory": "70Mi"}, "limits": {"memory": "170Mi"}}}]},
                   "status": {"phase": "Running", "podIP": "10.244.1.2",
                              "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": ts(86400 * 40)}],
                              "containerStatuses": [{"name": "coredns", "ready": True, "started": True, "restartCount": 0,
                                                     "image": "registry.k8s.io/coredns/coredns:v1.11.3",
                                                     "state": {"running": {"startedAt": ts(86400 * 40)}}, "lastState": {}}]}}
        sync = event("web.182e4a1b9c3d5e7f", ing, "Sync", "Scheduled for sync", "Normal", 3, 86400 * 12, 0,
                     "nginx-ingress-controller", CTRL)
        sync["metadata"]["namespace"] = "shop"
        items = nss + [cls, ing, svc, slice_, endpoints] + self.pods + self.extra_pods + self.controllers + \
            [coredns, cm] + self.other + self.nodes + self.events + [sync]
        return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}


def write(name, cluster, expected, comment):
    d = os.path.join(ROOT, name)
    os.makedirs(os.path.join(d, "snapshot"), exist_ok=True)
    write_json(os.path.join(d, "snapshot", "cluster.json"), cluster.items())
    write_expected(os.path.join(d, "expected"), [comment, "generated by tests/scenarios/.gen/h5.py"],
                   expected)


P0, P1, P2 = (p[0] for p in PODS)
PARTIAL = "warning service-partially-ready Service shop/web"


def set_ready(p, ready, reason="ContainersNotReady"):
    for c in p["status"]["conditions"]:
        if c["type"] in ("Ready", "ContainersReady"):
            c["status"] = "True" if ready else "False"
            if not ready:
                c["reason"] = reason
                c["message"] = "containers with unready status: [app]"
    for cs in p["status"]["containerStatuses"]:
        cs["ready"] = ready


def cs0(p):
    return p["status"]["containerStatuses"][0]


def scenarios():
    # ---- readiness-probe-failing
    c = Cluster()
    p = c.pods[1]
    set_ready(p, False)
    p["status"]["conditions"][2]["lastTransitionTime"] = ts(1500)
    c.events.append(event("%s.182e5b2a7d1c0f3e" % P1, p, "Unhealthy",
                          "Readiness probe failed: HTTP probe failed with statuscode: 503",
                          count=147, first=1500, last=25, field_path="spec.containers{app}"))
    write("readiness-probe-failing", c, ["error readiness-probe-failing Pod shop/" + P1, PARTIAL, RETIRED],
          "pod 2 of 2 fails its readiness probe (HTTP 503) for 25 minutes")
    write("readiness-probe-failing-healthy", Cluster(), [RETIRED],
          "both pods pass their readiness probe")

    # ---- liveness-probe-failing
    c = Cluster()
    p = c.pods[1]
    cs = cs0(p)
    cs["restartCount"] = 2
    cs["state"] = {"running": {"startedAt": ts(300)}}
    cs["lastState"] = {"terminated": {"exitCode": 137, "reason": "Error", "startedAt": ts(3000),
                                      "finishedAt": ts(302), "containerID": "containerd://" + "9" * 64}}
    p["status"]["conditions"][2]["lastTransitionTime"] = ts(290)
    p["status"]["conditions"][3]["lastTransitionTime"] = ts(290)
    c.events.append(event("%s.182e5c01a9b3d2e4" % P1, p, "Unhealthy",
                          "Liveness probe failed: Get \"http://10.244.2.17:8080/livez\": context deadline exceeded "
                          "(Client.Timeout exceeded while awaiting headers)",
                          count=6, first=2400, last=310, field_path="spec.containers{app}"))
    c.events.append(event("%s.182e5c01b7e4f5a6" % P1, p, "Killing",
                          "Container app failed liveness probe, will be restarted", "Normal",
                          count=2, first=2380, last=305, field_path="spec.containers{app}"))
    write("liveness-probe-failing", c, ["warning liveness-probe-failing Pod shop/" + P1, RETIRED],
          "the liveness probe of pod 2 times out and restarted it twice")
    c = Cluster()
    write("liveness-probe-failing-healthy", c, [RETIRED], "liveness probes pass, no restarts")

    # ---- probe-port-mismatch (warning form: readiness probes the admin port, traffic goes to http)
    c = Cluster()
    for p in c.pods:
        k = p["spec"]["containers"][0]
        k["ports"].append({"name": "admin", "containerPort": 9090, "protocol": "TCP"})
        k["readinessProbe"]["httpGet"] = {"path": "/ready", "port": "admin", "scheme": "HTTP"}
    write("probe-port-mismatch", c, ["warning probe-port-mismatch Pod shop/" + P0,
                                     "warning probe-port-mismatch Pod shop/" + P1, RETIRED],
          "readiness probes check the admin port 9090 while traffic goes to 8080")
    c = Cluster()
    for p in c.pods:
        k = p["spec"]["containers"][0]
        k["ports"].append({"name": "admin", "containerPort": 9090, "protocol": "TCP"})
        k["livenessProbe"]["httpGet"] = {"path": "/livez", "port": "admin", "scheme": "HTTP"}
    write("probe-port-mismatch-healthy", c, [RETIRED],
          "readiness on the serving port; liveness on the declared admin port is fine")

    # ---- probe-port-mismatch (error form: a named probe port the container does not declare)
    c = Cluster()
    p = c.pods[1]
    p["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"] = "health"
    set_ready(p, False)
    p["status"]["conditions"][2]["lastTransitionTime"] = ts(600)
    c.events.append(event("%s.182e5d9e0a1b2c3d" % P1, p, "Unhealthy",
                          "Readiness probe errored: strconv.Atoi: parsing \"health\": invalid syntax",
                          count=61, first=600, last=5, field_path="spec.containers{app}"))
    write("probe-port-mismatch-named", c, ["error probe-port-mismatch Pod shop/" + P1,
                                           "error readiness-probe-failing Pod shop/" + P1, PARTIAL, RETIRED],
          "pod 2's readiness probe names port 'health', which its container does not declare")

    # ---- readiness-probe-missing
    c = Cluster()
    for p in c.pods:
        del p["spec"]["containers"][0]["readinessProbe"]
    write("readiness-probe-missing", c, ["warning readiness-probe-missing Pod shop/" + P0,
                                         "warning readiness-probe-missing Pod shop/" + P1, RETIRED],
          "the app container has only a liveness probe")
    write("readiness-probe-missing-healthy", Cluster(), [RETIRED], "readiness probes set")

    # ---- probe-initial-delay-short
    c = Cluster()
    p = c.pods[1]
    cs0(p)["state"] = {"running": {"startedAt": ts(1200)}}
    for cond in p["status"]["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond["lastTransitionTime"] = ts(1200 - 95)
    c.events.append(event("%s.182e5e1f2a3b4c5d" % P1, p, "Unhealthy",
                          "Readiness probe failed: Get \"http://10.244.2.17:8080/healthz\": dial tcp 10.244.2.17:8080: "
                          "connect: connection refused", count=9, first=1195, last=1105,
                          field_path="spec.containers{app}"))
    write("probe-initial-delay-short", c, ["warning probe-initial-delay-short Pod shop/" + P1, RETIRED],
          "pod 2 needed 95 s to become ready; its liveness probe allows 10 + 3 x 10 = 40 s")
    c = Cluster()
    p = c.pods[1]
    cs0(p)["state"] = {"running": {"startedAt": ts(1200)}}
    for cond in p["status"]["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond["lastTransitionTime"] = ts(1200 - 95)
    for q in c.pods:
        q["spec"]["containers"][0]["startupProbe"] = {
            "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
            "periodSeconds": 5, "failureThreshold": 60, "timeoutSeconds": 1, "successThreshold": 1,
            "initialDelaySeconds": 0}
    c.events.append(event("%s.182e5e1f2a3b4c5d" % P1, p, "Unhealthy",
                          "Startup probe failed: Get \"http://10.244.2.17:8080/healthz\": dial tcp 10.244.2.17:8080: "
                          "connect: connection refused", count=18, first=1195, last=1105,
                          field_path="spec.containers{app}"))
    write("probe-initial-delay-short-healthy", c, [RETIRED],
          "the same slow start is covered by a startupProbe (60 x 5 s)")

    # ---- pod-crashloop
    c = Cluster()
    p = c.pods[1]
    set_ready(p, False)
    p["status"]["conditions"][2]["lastTransitionTime"] = ts(1800)
    cs = cs0(p)
    cs["restartCount"] = 7
    cs["started"] = False
    cs["state"] = {"waiting": {"reason": "CrashLoopBackOff",
                               "message": "back-off 5m0s restarting failed container=app pod=%s_shop(%s)" % (P1, p["metadata"]["uid"])}}
    cs["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(140), "finishedAt": ts(138),
                                      "containerID": "containerd://" + "7" * 64}}
    c.events.append(event("%s.182e5f0a1b2c3d4e" % P1, p, "BackOff",
                          "Back-off restarting failed container app in pod %s_shop(%s)" % (P1, p["metadata"]["uid"]),
                          count=31, first=1750, last=20, field_path="spec.containers{app}"))
    write("pod-crashloop", c, ["error pod-crashloop Pod shop/" + P1, PARTIAL, RETIRED],
          "pod 2 exits with code 1 right after start")
    c = Cluster()
    cs = cs0(c.pods[1])
    cs["restartCount"] = 1
    cs["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(2 * 86400 + 60),
                                      "finishedAt": ts(2 * 86400 + 5)}}
    write("pod-crashloop-healthy", c, [RETIRED], "one crash two days ago, running since")

    # ---- pod-oomkilled
    c = Cluster()
    p = c.pods[1]
    cs = cs0(p)
    cs["restartCount"] = 2
    cs["state"] = {"running": {"startedAt": ts(600)}}
    cs["lastState"] = {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": ts(4000),
                                      "finishedAt": ts(602), "containerID": "containerd://" + "8" * 64}}
    for cond in p["status"]["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond["lastTransitionTime"] = ts(590)
    write("pod-oomkilled", c, ["error pod-oomkilled Pod shop/" + P1, RETIRED],
          "pod 2 was OOMKilled at its 256Mi limit 10 minutes ago")
    c = Cluster()
    for p in c.pods:
        p["spec"]["containers"][0]["resources"]["limits"]["memory"] = "1Gi"
    write("pod-oomkilled-healthy", c, [RETIRED], "memory limit raised, no OOM kill")

    # ---- pod-evicted
    c = Cluster()
    ev = pod(2, started_age=86400)
    ev["spec"]["nodeName"] = "node-2"
    ev["status"] = {"phase": "Failed", "reason": "Evicted", "startTime": ts(86400), "hostIP": "10.0.0.12",
                    "message": "The node was low on resource: memory. Threshold quantity: 100Mi, available: 85432Ki. "
                               "Container app was using 412Mi, request is 128Mi, has larger consumption of request.",
                    "qosClass": "Burstable",
                    "conditions": [{"type": "DisruptionTarget", "status": "True", "reason": "TerminationByKubelet",
                                    "message": "The node was low on resource: memory.", "lastTransitionTime": ts(3600)}],
                    "containerStatuses": [{"name": "app", "ready": False, "started": False, "restartCount": 0,
                                           "image": "registry.example.com/shop/web:1.4.2",
                                           "state": {"terminated": {"exitCode": 137, "reason": "ContainerStatusUnknown",
                                                                    "message": "The container could not be located when the pod was terminated",
                                                                    "startedAt": ts(86400), "finishedAt": ts(3600)}},
                                           "lastState": {}}]}
    c.extra_pods.append(ev)
    write("pod-evicted", c, ["warning pod-evicted Pod shop/" + P2, RETIRED],
          "an evicted replica is left behind in phase Failed")
    write("pod-evicted-healthy", Cluster(), [RETIRED], "the evicted pod was deleted")

    # ---- pod-pending
    c = Cluster()
    pe = pod(2, started_age=900, ready=False)
    del pe["spec"]["nodeName"]
    pe["status"] = {"phase": "Pending", "qosClass": "Burstable",
                    "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                    "message": "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are "
                                               "available: 2 No preemption victims found for incoming pod.",
                                    "lastTransitionTime": ts(900)}]}
    for q in [pe]:
        q["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "100m", "memory": "12Gi"},
                                                    "limits": {"memory": "12Gi"}}
    c.extra_pods.append(pe)
    c.events.append(event("%s.182e600a1b2c3d4e" % P2, pe, "FailedScheduling",
                          "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: "
                          "2 No preemption victims found for incoming pod.", count=14, first=900, last=45,
                          component="default-scheduler", host=None))
    write("pod-pending", c, ["error pod-pending Pod shop/" + P2, PARTIAL, RETIRED],
          "a third replica asks for 12Gi and cannot be scheduled")
    write("pod-pending-healthy", Cluster(npods=3), [RETIRED], "three replicas scheduled and ready")

    # ---- pod-restarting
    c = Cluster()
    cs = cs0(c.pods[1])
    cs["restartCount"] = 5
    cs["state"] = {"running": {"startedAt": ts(7200)}}
    cs["lastState"] = {"terminated": {"exitCode": 2, "reason": "Error", "startedAt": ts(9000), "finishedAt": ts(7203)}}
    for cond in c.pods[1]["status"]["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond["lastTransitionTime"] = ts(7190)
    write("pod-restarting", c, ["warning pod-restarting Pod shop/" + P1, RETIRED],
          "pod 2 restarted 5 times (threshold 3), last exit code 2")
    c = Cluster()
    cs = cs0(c.pods[1])
    cs["restartCount"] = 2
    cs["lastState"] = {"terminated": {"exitCode": 2, "reason": "Error", "startedAt": ts(3 * 86400),
                                      "finishedAt": ts(2 * 86400 + 10)}}
    write("pod-restarting-healthy", c, [RETIRED], "two restarts stay under the threshold of 3")

    # ---- pod-no-resources
    c = Cluster()
    for p in c.pods:
        del p["spec"]["containers"][0]["resources"]
        p["status"]["qosClass"] = "BestEffort"
    write("pod-no-resources", c, ["info pod-no-resources Pod shop/" + P0,
                                  "info pod-no-resources Pod shop/" + P1, RETIRED],
          "the app container has no memory request or limit (BestEffort)")
    c = Cluster()
    for p in c.pods:
        p["spec"]["containers"][0]["resources"] = {"requests": {"memory": "128Mi"}}
    write("pod-no-resources-healthy", c, [RETIRED], "a memory request is enough")

    # ---- rollout-no-prestop
    c = Cluster()
    for p in c.pods:
        del p["spec"]["containers"][0]["lifecycle"]
    write("rollout-no-prestop", c, ["warning rollout-no-prestop Pod shop/" + P0,
                                    "warning rollout-no-prestop Pod shop/" + P1, RETIRED],
          "no preStop hook: pods exit before the controller drops them")
    write("rollout-no-prestop-healthy", Cluster(), [RETIRED], "preStop sleep 10, grace period 30 s")

    # ---- node-not-ready
    c = Cluster()
    c.nodes[1] = node("node-2", "10.0.0.12", ready="Unknown")
    p = c.pods[1]
    for cond in p["status"]["conditions"]:
        if cond["type"] == "Ready":
            cond["status"] = "False"
            cond["lastTransitionTime"] = ts(195)
            cond.pop("reason", None)
            cond.pop("message", None)
    c.events.append(event("node-2.182e61a2b3c4d5e6", c.nodes[1], "NodeNotReady",
                          "Node node-2 status is now: NodeNotReady", "Normal", 1, 200, 200,
                          "node-controller", None))
    c.events[-1]["metadata"]["namespace"] = "default"
    write("node-not-ready", c, ["error node-not-ready Node -/node-2", PARTIAL, RETIRED],
          "node-2 stopped posting status 3 minutes ago; its pod is marked not ready")
    write("node-not-ready-healthy", Cluster(), [RETIRED], "both nodes Ready")

    # ---- node-pressure
    c = Cluster()
    c.nodes[1] = node("node-2", "10.0.0.12", pressure="MemoryPressure")
    write("node-pressure", c, ["warning node-pressure Node -/node-2", RETIRED],
          "node-2 hosting pod 2 reports MemoryPressure")
    write("node-pressure-healthy", Cluster(), [RETIRED], "no pressure conditions")

    # ---- ingress-no-controller
    c = Cluster()
    c.controllers = []
    write("ingress-no-controller", c, ["error ingress-no-controller Ingress shop/web",
                                       "info controller-retired IngressClass -/nginx"],
          "IngressClass nginx names ingress-nginx, but no controller pod runs anywhere")
    write("ingress-no-controller-healthy", Cluster(), [RETIRED], "the controller pod runs and is ready")
    c = Cluster()
    c.controllers = []
    c.cls = ("gce", "k8s.io/ingress-gce")
    write("ingress-no-controller-external", c, [],
          "GCE's controller runs outside the cluster: no pod is expected")

    # ---- controller-unhealthy
    c = Cluster()
    bad = controller_pod(CTRL2, ready=False, n=0x201)
    cs = bad["status"]["containerStatuses"][0]
    cs["restartCount"] = 9
    cs["state"] = {"waiting": {"reason": "CrashLoopBackOff",
                               "message": "back-off 5m0s restarting failed container=controller pod=%s_ingress-nginx(%s)"
                               % (CTRL2, bad["metadata"]["uid"])}}
    cs["lastState"] = {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": ts(400), "finishedAt": ts(330)}}
    bad["spec"]["nodeName"] = "node-2"
    c.controllers.append(bad)
    write("controller-unhealthy", c, ["error controller-unhealthy Pod ingress-nginx/" + CTRL2, RETIRED],
          "one of two controller replicas is OOMKilled in a crash loop")
    c = Cluster()
    c.controllers.append(controller_pod(CTRL2, n=0x201))
    write("controller-unhealthy-healthy", c, [RETIRED],
          "both controller replicas ready")

    # ---- controller-k8s-incompatible
    c = Cluster()
    c.controllers = [controller_pod(version="v1.9.4")]
    write("controller-k8s-incompatible", c, ["warning controller-k8s-incompatible IngressClass -/nginx", RETIRED],
          "ingress-nginx v1.9.4 was tested up to Kubernetes 1.28; the nodes run 1.31")
    c = Cluster()
    c.controllers = [controller_pod(version="v1.13.9")]
    write("controller-k8s-incompatible-healthy", c, [RETIRED], "v1.13.9 is tested with 1.29-1.33")

    # ---- controller-retired
    write("controller-retired", Cluster(), [RETIRED], "the controller is ingress-nginx")
    c = Cluster()
    c.cls = ("traefik", "traefik.io/ingress-controller")
    tp = controller_pod("traefik-7c9d6b5f4-m2kq8", n=0x202)
    tp["metadata"]["namespace"] = "traefik"
    tp["metadata"]["labels"] = {"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-traefik"}
    tp["spec"]["containers"][0].update({"name": "traefik", "image": "docker.io/traefik:v3.3.4",
                                        "args": ["--entryPoints.web.address=:8000/tcp", "--providers.kubernetesingress"]})
    tp["status"]["containerStatuses"][0].update({"name": "traefik", "image": "docker.io/library/traefik:v3.3.4"})
    c.controllers = [tp]
    write("controller-retired-healthy", c, [], "Traefik serves the class: nothing is retired")


if __name__ == "__main__":
    scenarios()
