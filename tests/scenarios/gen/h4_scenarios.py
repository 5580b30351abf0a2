#!/usr/bin/env python3
"""Generate the scenario folders of the Ingress / Service / endpoint checks.

Each scenario is a small, otherwise healthy cluster (ingress-nginx v1.12.1
controller, nodes v1.31.4, an nginx IngressClass marked default, backend
pods with readiness probes, memory requests/limits and a preStop hook)
with one problem, and a "-healthy" twin where it is fixed.

Run from the repository root:  python3 tests/scenarios/gen/h4_scenarios.py
The generated folders are committed; the test run never needs python.
"""
import copy
import hashlib
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ next to the scenarios

from scenlib import RETIRED, meta_extras, write_json, write_expected  # noqa: E402

NOW = "2026-03-02T10:00:00Z"
DAY1 = "2026-03-01T08:00:00Z"        # backend pods created/started
OLD = "2026-01-10T09:00:00Z"         # cluster objects
CTRL = "ingress-nginx-controller-6b8f7d9c4d-7xk2p"
SUFFIX = ["x2k4p", "q9m7z", "h5v8n", "t3c6w", "m8r2j"]


def uid(*parts):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def meta(kind, name, ns=None, labels=None, annotations=None, created=OLD, owner=None):
    m = meta_extras({"name": name, "uid": uid(kind, ns or "", name), "resourceVersion": "4711",
                     "creationTimestamp": created}, ns, labels, annotations)
    if owner:
        m["ownerReferences"] = [owner]
    return m


def ownerref(api, kind, name, ns):
    return {"apiVersion": api, "kind": kind, "name": name, "uid": uid(kind, ns, name),
            "controller": True, "blockOwnerDeletion": True}


def node(name, ip):
    conds = []
    for t, s, r in [("MemoryPressure", "False", "KubeletHasSufficientMemory"),
                    ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
                    ("PIDPressure", "False", "KubeletHasSufficientPID"),
                    ("Ready", "True", "KubeletReady")]:
        conds.append({"type": t, "status": s, "reason": r,
                      "lastHeartbeatTime": "2026-03-02T09:59:30Z",
                      "lastTransitionTime": OLD, "message": "kubelet is posting ready status"
                      if t == "Ready" else "kubelet has no %s" % t})
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": meta("Node", name, labels={"kubernetes.io/hostname": name,
                                                   "kubernetes.io/os": "linux"}),
            "spec": {"podCIDR": "10.244.%s.0/24" % ip.split(".")[-1][-1]},
            "status": {"conditions": conds,
                       "addresses": [{"type": "InternalIP", "address": ip},
                                     {"type": "Hostname", "address": name}],
                       "nodeInfo": {"kubeletVersion": "v1.31.4", "kubeProxyVersion": "v1.31.4",
                                    "containerRuntimeVersion": "containerd://1.7.24",
                                    "osImage": "Debian GNU/Linux 12 (bookworm)",
                                    "architecture": "amd64", "operatingSystem": "linux"}}}


def pod_status(ready, ip, node_ip, started, cname="app", image=""):
    rs = "True" if ready else "False"
    conds = [{"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": started},
             {"type": "Initialized", "status": "True", "lastTransitionTime": started},
             {"type": "Ready", "status": rs, "lastTransitionTime": started},
             {"type": "ContainersReady", "status": rs, "lastTransitionTime": started},
             {"type": "PodScheduled", "status": "True", "lastTransitionTime": started}]
    if not ready:
        for c in conds[2:4]:
            c["reason"] = "ContainersNotReady"
            c["message"] = "containers with unready status: [%s]" % cname
    return {"phase": "Running", "conditions": conds, "hostIP": node_ip,
            "hostIPs": [{"ip": node_ip}], "podIP": ip, "podIPs": [{"ip": ip}],
            "startTime": started, "qosClass": "Burstable",
            "containerStatuses": [{"name": cname, "ready": ready, "started": True,
                                   "restartCount": 0, "image": image,
                                   "imageID": image + "@sha256:" + hashlib.sha256(
                                       image.encode()).hexdigest(),
                                   "containerID": "containerd://" + hashlib.sha256(
                                       (ip + cname).encode()).hexdigest(),
                                   "state": {"running": {"startedAt": started}},
                                   "lastState": {}}]}


NODES = [("node-1", "10.0.0.11"), ("node-2", "10.0.0.12")]


def controller():
    ns = "ingress-nginx"
    labels = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "ingress-nginx",
              "app.kubernetes.io/component": "controller", "app.kubernetes.io/version": "1.12.1",
              "pod-template-hash": "6b8f7d9c4d"}
    image = "registry.k8s.io/ingress-nginx/controller:v1.12.1"
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": meta("Pod", CTRL, ns, labels, created=OLD,
                            owner=ownerref("apps/v1", "ReplicaSet",
                                           "ingress-nginx-controller-6b8f7d9c4d", ns)),
           "spec": {"nodeName": "node-1", "serviceAccountName": "ingress-nginx",
                    "terminationGracePeriodSeconds": 300,
                    "containers": [{
                        "name": "controller", "image": image,
                        "args": ["/nginx-ingress-controller",
                                 "--publish-service=ingress-nginx/ingress-nginx-controller",
                                 "--election-id=ingress-nginx-leader",
                                 "--controller-class=k8s.io/ingress-nginx",
                                 "--ingress-class=nginx",
                                 "--configmap=ingress-nginx/ingress-nginx-controller",
                                 "--validating-webhook=:8443"],
                        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"},
                                  {"name": "https", "containerPort": 443, "protocol": "TCP"},
                                  {"name": "webhook", "containerPort": 8443, "protocol": "TCP"}],
                        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 10254,
                                                       "scheme": "HTTP"},
                                           "initialDelaySeconds": 10, "periodSeconds": 10,
                                           "timeoutSeconds": 1, "successThreshold": 1,
                                           "failureThreshold": 3},
                        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 10254,
                                                      "scheme": "HTTP"},
                                          "initialDelaySeconds": 10, "periodSeconds": 10,
                                          "timeoutSeconds": 1, "successThreshold": 1,
                                          "failureThreshold": 5},
                        "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}},
                        "lifecycle": {"preStop": {"exec": {"command": ["/wait-shutdown"]}}}}]},
           "status": pod_status(True, "10.244.1.5", "10.0.0.11", OLD, "controller", image)}
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": meta("ConfigMap", "ingress-nginx-controller", ns,
                           {"app.kubernetes.io/name": "ingress-nginx",
                            "app.kubernetes.io/component": "controller"}),
          "data": {"allow-snippet-annotations": "false"}}
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": meta("Deployment", "ingress-nginx-controller", ns,
                            {"app.kubernetes.io/name": "ingress-nginx",
                             "app.kubernetes.io/component": "controller"}),
           "spec": {"replicas": 1,
                    "selector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx",
                                                 "app.kubernetes.io/instance": "ingress-nginx",
                                                 "app.kubernetes.io/component": "controller"}},
                    "strategy": {"type": "RollingUpdate",
                                 "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "25%"}}},
           "status": {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1}}
    return pod, cm, dep


class App:
    """A Deployment's pods plus its Service, EndpointSlice and Endpoints."""

    def __init__(self, name, subnet, replicas=2, port_name="http", cport=8080, sport=80,
                 target="http", app_protocol=None, scheme="HTTP", ready=None,
                 labels=None):
        self.name = name
        self.ns = "shop"
        self.hash = hashlib.sha1(name.encode()).hexdigest()[:9]
        self.labels = labels or {"app": name}
        self.selector = dict(self.labels)
        self.port_name = port_name          # container port name
        self.cport = cport
        self.sport = sport
        self.sport_name = "http" if scheme == "HTTP" else "https"
        self.target = target                # Service targetPort (name or number)
        self.app_protocol = app_protocol
        self.scheme = scheme
        self.ready = ready if ready is not None else [True] * replicas
        self.subnet = subnet
        self.image = "ghcr.io/example/%s:1.4.2" % name
        self.pods = []
        self.events = []
        self.build_pods()

    def build_pods(self):
        self.pods = []
        rs = "%s-%s" % (self.name, self.hash)
        for i, rd in enumerate(self.ready):
            pname = "%s-%s" % (rs, SUFFIX[i])
            nname, nip = NODES[i % 2]
            ip = "10.244.%d.%d" % (1 + i % 2, self.subnet + i)
            labels = dict(self.labels)
            labels["pod-template-hash"] = self.hash
            port = {"containerPort": self.cport, "protocol": "TCP"}
            if self.port_name:
                port = {"name": self.port_name, **port}
            probe_port = self.port_name or self.cport
            c = {"name": "app", "image": self.image, "ports": [port],
                 "readinessProbe": {"httpGet": {"path": "/healthz", "port": probe_port,
                                                "scheme": self.scheme},
                                    "initialDelaySeconds": 5, "periodSeconds": 5,
                                    "timeoutSeconds": 1, "successThreshold": 1,
                                    "failureThreshold": 3},
                 "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                               "limits": {"memory": "256Mi"}},
                 "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}}}
            p = {"apiVersion": "v1", "kind": "Pod",
                 "metadata": meta("Pod", pname, self.ns, labels, created=DAY1,
                                  owner=ownerref("apps/v1", "ReplicaSet", rs, self.ns)),
                 "spec": {"nodeName": nname, "serviceAccountName": "default",
                          "terminationGracePeriodSeconds": 30, "containers": [c]},
                 "status": pod_status(rd, ip, nip, DAY1, "app", self.image)}
            self.pods.append(p)
            if not rd:
                self.events.append({
                    "apiVersion": "v1", "kind": "Event",
                    "metadata": meta("Event", pname + ".1829f3a4c2b5d6e7", self.ns,
                                     created="2026-03-01T08:00:20Z"),
                    "involvedObject": {"kind": "Pod", "namespace": self.ns, "name": pname,
                                       "uid": p["metadata"]["uid"], "apiVersion": "v1",
                                       "fieldPath": "spec.containers{app}"},
                    "reason": "Unhealthy",
                    "message": "Readiness probe failed: HTTP probe failed with statuscode: 503",
                    "source": {"component": "kubelet", "host": nname},
                    "firstTimestamp": "2026-03-01T08:00:20Z",
                    "lastTimestamp": "2026-03-02T09:59:55Z", "count": 18000,
                    "type": "Warning"})

    def target_number(self):
        return self.cport

    def service(self):
        port = {"name": self.sport_name, "protocol": "TCP", "port": self.sport,
                "targetPort": self.target}
        if self.app_protocol:
            port["appProtocol"] = self.app_protocol
        spec = {"type": "ClusterIP", "clusterIP": "10.96.%d.%d" % (self.subnet, self.subnet),
                "clusterIPs": ["10.96.%d.%d" % (self.subnet, self.subnet)],
                "ports": [port], "sessionAffinity": "None",
                "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"]}
        if self.selector:
            spec["selector"] = self.selector
        return {"apiVersion": "v1", "kind": "Service",
                "metadata": meta("Service", self.name, self.ns, {"app": self.name},
                                 created=DAY1),
                "spec": spec, "status": {"loadBalancer": {}}}

    def _ep(self, p, ready=None, terminating=False):
        rd = p["status"]["conditions"][2]["status"] == "True" if ready is None else ready
        return {"addresses": [p["status"]["podIP"]],
                "conditions": {"ready": rd and not terminating, "serving": rd,
                               "terminating": terminating},
                "nodeName": p["spec"]["nodeName"],
                "targetRef": {"kind": "Pod", "namespace": self.ns,
                              "name": p["metadata"]["name"], "uid": p["metadata"]["uid"]}}

    def slice(self, extra=None, port=True, pods=None):
        pods = self.pods if pods is None else pods
        eps = [self._ep(p) for p in pods] + (extra or [])
        ports = [{"name": self.sport_name, "port": self.target_number(), "protocol": "TCP"}]
        if self.app_protocol:
            ports[0]["appProtocol"] = self.app_protocol
        return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": meta("EndpointSlice", "%s-%s" % (self.name, self.hash[:5]), self.ns,
                                 {"kubernetes.io/service-name": self.name,
                                  "endpointslice.kubernetes.io/managed-by":
                                  "endpointslice-controller.k8s.io"},
                                 created=DAY1,
                                 owner=ownerref("v1", "Service", self.name, self.ns)),
                "addressType": "IPv4", "endpoints": eps if eps else None,
                "ports": ports if (port and eps) else None}

    def endpoints(self, extra_ready=None, force_not_ready=(), pods=None):
        pods = self.pods if pods is None else pods
        ready, notready = [], []
        for p in pods:
            a = {"ip": p["status"]["podIP"], "nodeName": p["spec"]["nodeName"],
                 "targetRef": {"kind": "Pod", "namespace": self.ns,
                               "name": p["metadata"]["name"], "uid": p["metadata"]["uid"]}}
            ok = p["status"]["conditions"][2]["status"] == "True"
            if p["metadata"]["name"] in force_not_ready:
                ok = False
            (ready if ok else notready).append(a)
        ready += extra_ready or []
        sub = {}
        if ready:
            sub["addresses"] = ready
        if notready:
            sub["notReadyAddresses"] = notready
        subsets = []
        if sub:
            sub["ports"] = [{"name": self.sport_name, "port": self.target_number(),
                             "protocol": "TCP"}]
            subsets = [sub]
        o = {"apiVersion": "v1", "kind": "Endpoints",
             "metadata": meta("Endpoints", self.name, self.ns, {"app": self.name},
                              {"endpoints.kubernetes.io/last-change-trigger-time": DAY1},
                              created=DAY1)}
        if subsets:
            o["subsets"] = subsets
        return o

    def deployment(self):
        n = len(self.ready)
        return {"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": meta("Deployment", self.name, self.ns, {"app": self.name},
                                 created=DAY1),
                "spec": {"replicas": n, "selector": {"matchLabels": dict(self.labels)},
                         "strategy": {"type": "RollingUpdate",
                                      "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}},
                "status": {"replicas": n, "readyReplicas": sum(self.ready),
                           "availableReplicas": sum(self.ready),
                           "updatedReplicas": n}}


def ingress(name, rules, cls="nginx", annotations=None, tls=None, api="networking.k8s.io/v1"):
    spec = {}
    if cls:
        spec["ingressClassName"] = cls
    if tls:
        spec["tls"] = tls
    spec["rules"] = []
    for host, paths in rules:
        r = {"host": host, "http": {"paths": []}}
        for path, svc, port in paths:
            p = {"number": port} if isinstance(port, int) else {"name": port}
            r["http"]["paths"].append({"path": path, "pathType": "Prefix",
                                       "backend": {"service": {"name": svc, "port": p}}})
        spec["rules"].append(r)
    return {"apiVersion": api, "kind": "Ingress",
            "metadata": meta("Ingress", name, "shop", {"app": "shop"}, annotations,
                             created="2026-02-20T12:00:00Z"),
            "spec": spec,
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}}


def ingressclass(default=True):
    ann = {"ingressclass.kubernetes.io/is-default-class": "true"} if default else None
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": meta("IngressClass", "nginx", None,
                             {"app.kubernetes.io/name": "ingress-nginx",
                              "app.kubernetes.io/component": "controller"}, ann),
            "spec": {"controller": "k8s.io/ingress-nginx"}}


def secret(name, ns="shop"):
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": meta("Secret", name, ns, created=DAY1), "type": "kubernetes.io/tls"}


class Cluster:
    def __init__(self):
        cpod, ccm, cdep = controller()
        self.objs = {
            "Node": [node(n, ip) for n, ip in NODES],
            "Namespace": [{"apiVersion": "v1", "kind": "Namespace",
                           "metadata": meta("Namespace", n, labels={
                               "kubernetes.io/metadata.name": n}),
                           "spec": {"finalizers": ["kubernetes"]},
                           "status": {"phase": "Active"}} for n in ("ingress-nginx", "shop")],
            "IngressClass": [ingressclass()],
            "Ingress": [], "Service": [], "EndpointSlice": [], "Endpoints": [],
            "Pod": [cpod], "Event": [], "ConfigMap": [ccm], "Deployment": [cdep],
        }

    def add_app(self, app, service=True, slice_=True, endpoints=True):
        self.objs["Pod"] += app.pods
        self.objs["Event"] += app.events
        self.objs["Deployment"].append(app.deployment())
        if service:
            self.objs["Service"].append(app.service())
        if slice_:
            self.objs["EndpointSlice"].append(app.slice() if slice_ is True else slice_)
        if endpoints:
            self.objs["Endpoints"].append(app.endpoints() if endpoints is True else endpoints)

    def write(self, folder, expected, comment):
        snap = os.path.join(folder, "snapshot")
        os.makedirs(snap, exist_ok=True)
        for f in os.listdir(snap):
            os.unlink(os.path.join(snap, f))
        api = {"Node": "v1", "Namespace": "v1", "IngressClass": "networking.k8s.io/v1",
               "Ingress": "networking.k8s.io/v1", "Service": "v1",
               "EndpointSlice": "discovery.k8s.io/v1", "Endpoints": "v1", "Pod": "v1",
               "Event": "v1", "ConfigMap": "v1", "Deployment": "apps/v1", "Secret": "v1"}
        for i, (kind, items) in enumerate(self.objs.items()):
            doc = {"apiVersion": api[kind], "kind": kind + "List",
                   "metadata": {"resourceVersion": "4711"}, "items": items}
            fn = os.path.join(snap, "%02d-%s.json" % (i, kind.lower()))
            write_json(fn, doc)
        write_expected(os.path.join(folder, "expected"),
                       [comment, "generated by tests/scenarios/gen/h4_scenarios.py"], expected)




def web(cluster, svc="api", port=80, **kw):
    cluster.objs["Ingress"].append(
        ingress("web", [("shop.example.com", [("/", svc, port)])], **kw))


def pods_of(app):
    return [p["metadata"]["name"] for p in app.pods]


# ---------------------------------------------------------------- scenarios

def s_service_missing(fixed):
    c = Cluster()
    c.add_app(App("api", 10))
    web(c, svc="api" if fixed else "apii")
    exp = [RETIRED] if fixed else ["error ingress-service-missing Ingress shop/web", RETIRED]
    return c, exp, "backend names Service apii; Service api exists (suggested)"


def s_service_port_missing(fixed):
    c = Cluster()
    c.add_app(App("api", 10))
    web(c, port=80 if fixed else 8080)
    exp = [RETIRED] if fixed else ["error ingress-service-port-missing Ingress shop/web", RETIRED]
    return c, exp, "backend port 8080 is the targetPort; the Service port is 80 (http)"


def s_class_missing(fixed):
    c = Cluster()
    c.objs["IngressClass"] = [ingressclass(default=fixed)]
    c.add_app(App("api", 10))
    web(c, cls=None)
    # without a class the Ingress has no controller, so controller-retired does not apply
    exp = [RETIRED] if fixed else ["error ingress-class-missing Ingress shop/web"]
    return c, exp, ("class-less Ingress; IngressClass nginx %s default" %
                    ("marked" if fixed else "not marked"))


def s_deprecated(fixed):
    c = Cluster()
    c.add_app(App("api", 10))
    if fixed:
        web(c)
    else:
        web(c, cls=None, annotations={"kubernetes.io/ingress.class": "nginx"})
    exp = [RETIRED] if fixed else ["warning ingress-deprecated-api Ingress shop/web", RETIRED]
    return c, exp, "class chosen by the deprecated kubernetes.io/ingress.class annotation"


def s_tls(fixed):
    c = Cluster()
    c.add_app(App("api", 10))
    web(c, tls=[{"hosts": ["shop.example.com"], "secretName": "shop-tls"}])
    c.objs["Secret"] = [secret("registry-pull", "shop")]
    c.objs["Secret"][0]["type"] = "kubernetes.io/dockerconfigjson"
    if fixed:
        c.objs["Secret"].append(secret("shop-tls"))
    exp = [RETIRED] if fixed else ["warning ingress-tls-secret-missing Ingress shop/web", RETIRED]
    return c, exp, "spec.tls secretName shop-tls %s" % ("exists" if fixed else "is missing")


def s_externalname(fixed):
    c = Cluster()
    c.add_app(App("api", 10))
    if fixed:
        c.add_app(App("payments", 20))
    else:
        c.objs["Service"].append({
            "apiVersion": "v1", "kind": "Service",
            "metadata": meta("Service", "payments", "shop", {"app": "payments"}, created=DAY1),
            "spec": {"type": "ExternalName", "externalName": "payments.example.net",
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP",
                                "targetPort": 80}], "sessionAffinity": "None"},
            "status": {"loadBalancer": {}}})
    c.objs["Ingress"].append(ingress("web", [("shop.example.com", [
        ("/", "api", 80), ("/payments", "payments", 80)])]))
    exp = [RETIRED] if fixed else ["warning ingress-backend-externalname Ingress shop/web",
                                   RETIRED]
    return c, exp, "path /payments routes to an ExternalName Service (fixed: in-cluster pods)"


def s_protocol(fixed):
    c = Cluster()
    c.add_app(App("api", 10, app_protocol="http"))
    c.add_app(App("admin", 20, port_name="https", cport=8443, sport=443, target="https",
                  scheme="HTTPS"))
    ann_web = None if fixed else {"nginx.ingress.kubernetes.io/backend-protocol": "HTTPS"}
    ann_admin = {"nginx.ingress.kubernetes.io/backend-protocol": "HTTPS"} if fixed else None
    c.objs["Ingress"].append(ingress("web", [("shop.example.com", [("/", "api", 80)])],
                                     annotations=ann_web))
    c.objs["Ingress"].append(ingress("admin", [("admin.example.com", [("/", "admin", "https")])],
                                     annotations=ann_admin))
    exp = [RETIRED] if fixed else [
        "error ingress-backend-protocol-mismatch Ingress shop/web",
        "error ingress-backend-protocol-mismatch Ingress shop/admin", RETIRED]
    return c, exp, ("web: HTTPS annotation to an appProtocol http port; admin: no annotation "
                    "to an https port 443 -> 8443 (fixed: annotations the other way round)")


def s_no_selector(fixed):
    c = Cluster()
    a = App("api", 10)
    if not fixed:
        a.selector = {}
    c.add_app(a, slice_=fixed, endpoints=fixed)
    web(c)
    exp = [RETIRED] if fixed else ["error service-no-selector Service shop/api", RETIRED]
    return c, exp, "Service api lost its selector: no endpoints (fixed: selector app=api)"


def s_selector_no_match(fixed):
    c = Cluster()
    a = App("api", 10, labels={"app": "api", "component": "server"})
    if not fixed:
        a.selector = {"app": "api", "component": "web"}
    empty = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
             "metadata": meta("EndpointSlice", "api-" + a.hash[:5], "shop",
                              {"kubernetes.io/service-name": "api",
                               "endpointslice.kubernetes.io/managed-by":
                               "endpointslice-controller.k8s.io"}, created=DAY1,
                              owner=ownerref("v1", "Service", "api", "shop")),
             "addressType": "IPv4", "endpoints": None, "ports": None}
    c.add_app(a, slice_=True if fixed else empty,
              endpoints=True if fixed else a.endpoints(pods=[]))
    web(c)
    exp = [RETIRED] if fixed else ["error service-selector-no-match Service shop/api", RETIRED]
    return c, exp, "selector component=web, pods have component=server (one value differs)"


def s_no_ready(fixed):
    c = Cluster()
    a = App("api", 10, ready=[fixed, fixed])
    c.add_app(a)
    web(c)
    exp = [RETIRED] if fixed else (["error service-no-ready-endpoints Service shop/api"] +
                                   ["error readiness-probe-failing Pod shop/" + p
                                    for p in pods_of(a)] + [RETIRED])
    return c, exp, "both api pods fail their readiness probe (HTTP 503)"


def s_partial(fixed):
    c = Cluster()
    a = App("api", 10, replicas=3, ready=[True, True, fixed])
    c.add_app(a)
    web(c)
    exp = [RETIRED] if fixed else ["warning service-partially-ready Service shop/api",
                                   "error readiness-probe-failing Pod shop/" + pods_of(a)[2],
                                   RETIRED]
    return c, exp, "one of three api pods fails its readiness probe"


def s_target_port(fixed):
    c = Cluster()
    a = App("api", 10, port_name="http" if fixed else "web")
    sl = a.slice() if fixed else a.slice(port=False)
    if not fixed:
        sl["ports"] = None
    c.add_app(a, slice_=sl, endpoints=True if fixed else a.endpoints(pods=[]))
    web(c)
    exp = [RETIRED] if fixed else ["error service-target-port-missing Service shop/api", RETIRED]
    return c, exp, "targetPort http, but the container port is named web"


def s_stale(fixed):
    c = Cluster()
    a = App("api", 10)
    gone = {"addresses": ["10.244.2.19"], "conditions": {"ready": True, "serving": True,
                                                          "terminating": False},
            "nodeName": "node-2",
            "targetRef": {"kind": "Pod", "namespace": "shop", "name": "api-5f6d7c8b9-zz9kq",
                          "uid": uid("Pod", "shop", "api-5f6d7c8b9-zz9kq")}}
    gone_ep = {"ip": "10.244.2.19", "nodeName": "node-2", "targetRef": gone["targetRef"]}
    if fixed:
        c.add_app(a)
    else:
        c.add_app(a, slice_=a.slice(extra=[gone]), endpoints=a.endpoints(extra_ready=[gone_ep]))
    web(c)
    exp = [RETIRED] if fixed else ["warning endpoints-stale Service shop/api", RETIRED]
    return c, exp, "a ready endpoint still points at deleted pod api-5f6d7c8b9-zz9kq"


def s_mismatch(fixed):
    c = Cluster()
    a = App("api", 10)
    lag = () if fixed else (pods_of(a)[1],)
    c.add_app(a, endpoints=a.endpoints(force_not_ready=lag))
    web(c)
    exp = [RETIRED] if fixed else ["warning endpointslice-mismatch Service shop/api", RETIRED]
    return c, exp, "Endpoints lists a ready pod as not ready; the EndpointSlice has it ready"


SCENARIOS = {
    "ingress-service-missing": s_service_missing,
    "ingress-service-port-missing": s_service_port_missing,
    "ingress-class-missing": s_class_missing,
    "ingress-deprecated-api": s_deprecated,
    "ingress-tls-secret-missing": s_tls,
    "ingress-backend-externalname": s_externalname,
    "ingress-backend-protocol-mismatch": s_protocol,
    "service-no-selector": s_no_selector,
    "service-selector-no-match": s_selector_no_match,
    "service-no-ready-endpoints": s_no_ready,
    "service-partially-ready": s_partial,
    "service-target-port-missing": s_target_port,
    "endpoints-stale": s_stale,
    "endpointslice-mismatch": s_mismatch,
}


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    only = sys.argv[1:]
    for sid, fn in SCENARIOS.items():
        if only and sid not in only:
            continue
        for fixed in (False, True):
            c, exp, comment = fn(fixed)
            name = sid + ("-healthy" if fixed else "")
            c.write(os.path.join(root, name), exp, name + ": " + comment)


if __name__ == "__main__":
    main()
