#!/usr/bin/env python3
"""gen-demo.py: writes examples/demo/*.yaml, the bundled example cluster of
`ingress-doctor demo` (a developer helper; the YAML files are committed and
the build never runs this). Every planted fault carries a comment in the YAML
saying what is wrong; examples/README.md lists them with the finding each
one produces, and tests/scenarios/demo/expected is the exact finding set.

    python3 scripts/gen-demo.py            # rewrite examples/demo/
"""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k8sgen import (Pod, cond, container, cstatus, deployment, endpoints_for, event,  # noqa: E402
                    http_probe, ingress, meta, namespace, node, ownerref, pod, running, secret_meta,
                    service, suffix, terminated, ts, uid, waiting, yaml_stream)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "demo")
HOST = {"node-a": "10.0.0.11", "node-b": "10.0.0.12", "node-c": "10.0.0.13", "node-d": "10.0.0.14"}
NET = {"node-a": "10.244.0.", "node-b": "10.244.1.", "node-c": "10.244.2.", "node-d": "10.244.3."}


def plus(spec, secs):
    return (datetime.datetime.strptime(ts(spec), "%Y-%m-%dT%H:%M:%SZ")
            + datetime.timedelta(seconds=secs)).strftime("%Y-%m-%dT%H:%M:%S")


class App:
    """A Deployment, its ReplicaSet and pods."""

    def __init__(self, ns, name, containers, replicas, ready, created="-20d 10:00:00",
                 comment=None, labels=None):
        self.ns, self.name = ns, name
        self.hash = suffix("rs" + ns + name, 10)
        self.labels = labels or {"app": name}
        self.containers = containers
        self.dep, self.rs, self.podlabels, self.owner = deployment(
            ns, name, self.labels, containers, replicas, ready, created, self.hash, comment=comment)
        self.pods = []

    def podname(self, i):
        return f"{self.name}-{self.hash}-{suffix('pod' + self.ns + self.name + str(i), 5)}"

    def ok(self, i, node_name, ip, start="-2d 09:14:00", ready_after=8, comment=None, containers=None):
        """A healthy running pod, ready ready_after seconds after its container started."""
        cs = containers or self.containers
        name = self.podname(i)
        st = [cstatus(c, running(plus(start, 2)), True, started=True) for c in cs]
        p = pod(self.ns, name, self.podlabels, self.owner, node_name, NET[node_name] + str(ip), cs, st,
                created=plus(start, -3), start=start, ready_at=plus(start, 2 + ready_after),
                host_ip=HOST[node_name], comment=comment)
        self.pods.append(p)
        return p

    def add(self, p):
        self.pods.append(p)
        return p

    def objects(self):
        return [self.dep, self.rs] + [p.obj for p in self.pods]


def cref(p, cname):
    return ("Pod", p.name, p.obj["metadata"]["uid"], "v1"), f"spec.containers{{{cname}}}"


def pod_event(ns, p, cname, reason, msg, typ, first, last, count=1, comment=None):
    inv, fp = cref(p, cname)
    return event(ns, inv, reason, msg, typ, first, last, count, "kubelet", p.obj["spec"].get("nodeName"),
                 fp, comment)


def write(fname, header, objs):
    with open(os.path.join(OUT, fname), "w") as f:
        f.write(yaml_stream(objs, header))


# ------------------------------------------------------------------ cluster

def cluster():
    nodes = [
        node("node-a", HOST["node-a"], "10.244.0.0/24"),
        node("node-b", HOST["node-b"], "10.244.1.0/24"),
        node("node-c", HOST["node-c"], "10.244.2.0/24", pressure=("MemoryPressure", "09:18:20"),
             taints=[{"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure",
                      "timeAdded": ts("09:18:21")}],
             comment="FAULT node-pressure: MemoryPressure=True since 09:18 (the kubelet evicted\n"
                     "blog/media from here); hosts the backend pod of blog/ghost."),
        node("node-d", HOST["node-d"], "10.244.3.0/24", ready=False, heartbeat="09:56:31",
             not_ready_since="09:57:15",
             taints=[{"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable",
                      "timeAdded": ts("09:57:15")},
                     {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                      "timeAdded": ts("09:57:20")}],
             comment="FAULT node-not-ready: the kubelet stopped posting status at 09:56:31;\n"
                     "two backend pods of payments/checkout run here."),
    ]
    node_list = {"apiVersion": "v1", "items": nodes, "kind": "List", "metadata": {"resourceVersion": ""}}
    nss = [namespace(n) for n in ("kube-system", "ingress-nginx", "shop", "payments", "blog", "auth")]
    evs = [
        event("", ("Node", "node-c", None, "v1"), "NodeHasInsufficientMemory",
              "Node node-c status is now: NodeHasInsufficientMemory", "Normal", "09:18:20", "09:18:20",
              1, "kubelet", "node-c"),
        event("", ("Node", "node-c", None, "v1"), "EvictionThresholdMet",
              "Attempting to reclaim memory", "Warning", "09:18:25", "09:52:40", 4, "kubelet", "node-c"),
        event("", ("Node", "node-d", None, "v1"), "NodeNotReady",
              "Node node-d status is now: NodeNotReady", "Normal", "09:57:15", "09:57:15", 1,
              "node-controller"),
        event("", ("Node", "node-b", None, "v1"), "SystemOOM",
              "System OOM encountered, victim process: java, pid: 48213", "Warning", "09:41:10",
              "09:41:10", 1, "kubelet", "node-b"),
    ]
    write("00-cluster.yaml",
          "The demo cluster: nodes and namespaces. \"now\" is 2026-11-27T10:00Z.\n"
          "Four nodes (kubelet v1.31.4): node-a and node-b healthy, node-c under memory\n"
          "pressure, node-d NotReady since 09:57. The nodes come as one kubectl List.",
          [node_list] + nss + evs)


# ------------------------------------------------------------------ ingress-nginx

def controller():
    ns = "ingress-nginx"
    labels = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
              "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/part-of": "ingress-nginx",
              "app.kubernetes.io/version": "1.12.1"}
    c = container("controller", "registry.k8s.io/ingress-nginx/controller:v1.12.1",
                  ports=(("http", 80), ("https", 443), ("webhook", 8443), ("metrics", 10254)),
                  readiness=http_probe(10254, "/healthz", delay=10, period=10),
                  liveness=http_probe(10254, "/healthz", delay=10, period=10, failure=5),
                  mem=None, cpu=None, prestop=False,
                  args=["/nginx-ingress-controller",
                        "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
                        "--election-id=ingress-nginx-leader",
                        "--controller-class=k8s.io/ingress-nginx",
                        "--ingress-class=nginx",
                        "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                        "--validating-webhook=:8443",
                        "--validating-webhook-certificate=/usr/local/certificates/cert",
                        "--validating-webhook-key=/usr/local/certificates/key"],
                  env=[{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                      "fieldPath": "metadata.name"}}},
                       {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {
                           "apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                       {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"}],
                  comment="FAULT controller-retired (info): ingress-nginx is retired since March 2026\n"
                          "(no more releases, security fixes included). v1.12.1 itself supports\n"
                          "Kubernetes 1.28-1.32, so the v1.31 cluster is in range.")
        # the chart: requests only, preStop /wait-shutdown
    c["lifecycle"] = {"preStop": {"exec": {"command": ["/wait-shutdown"]}}}
    c["resources"] = {"requests": {"cpu": "100m", "memory": "90Mi"}}
    app = App(ns, "ingress-nginx-controller", [c], 2, 2, created="-90d 09:30:00", labels=labels)
    app.ok(0, "node-a", 5, start="-6d 04:10:00", ready_after=12)
    app.ok(1, "node-b", 5, start="-6d 04:10:30", ready_after=12)
    for p in app.pods:
        p.obj["spec"]["serviceAccount"] = p.obj["spec"]["serviceAccountName"] = "ingress-nginx"
        p.obj["spec"]["terminationGracePeriodSeconds"] = 300
        p.obj["spec"]["containers"][0]["securityContext"] = {
            "allowPrivilegeEscalation": False, "capabilities": {"add": ["NET_BIND_SERVICE"],
                                                                "drop": ["ALL"]},
            "readOnlyRootFilesystem": False, "runAsNonRoot": True, "runAsUser": 101}
    svc = service(ns, "ingress-nginx-controller",
                  [{"name": "http", "port": 80, "targetPort": "http", "appProtocol": "http",
                    "nodePort": 31080},
                   {"name": "https", "port": 443, "targetPort": "https", "appProtocol": "https",
                    "nodePort": 31443}],
                  selector=labels and {k: labels[k] for k in ("app.kubernetes.io/component",
                                                              "app.kubernetes.io/instance",
                                                              "app.kubernetes.io/name")},
                  typ="LoadBalancer", cluster_ip="10.96.112.40", labels=labels)
    adm = service(ns, "ingress-nginx-controller-admission",
                  [{"name": "https-webhook", "port": 443, "targetPort": "webhook",
                    "appProtocol": "https"}],
                  selector=svc["spec"]["selector"], cluster_ip="10.96.88.17", labels=labels)
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "data": {"allow-snippet-annotations": "false", "proxy-body-size": "16m",
                   "use-forwarded-headers": "true"},
          "metadata": meta("ingress-nginx-controller", ns, "-90d 09:30:00", labels,
                           kind="ConfigMap")}
    nginx = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
             "metadata": meta("nginx", None, "-90d 09:30:00", labels,
                              {"ingressclass.kubernetes.io/is-default-class": "true"},
                              kind="IngressClass"),
             "spec": {"controller": "k8s.io/ingress-nginx"}}
    traefik = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
               "metadata": meta("traefik", None, "-200d 11:00:00",
                                {"app.kubernetes.io/instance": "traefik-kube-system",
                                 "app.kubernetes.io/name": "traefik"}, kind="IngressClass",
                                comment="Left over: Traefik was uninstalled in the switch to\n"
                                        "ingress-nginx, its IngressClass was not (auth/status uses it)."),
               "spec": {"controller": "traefik.io/ingress-controller"}}
    pods = app.pods
    objs = [nginx, traefik, cm, svc, adm] + endpoints_for(svc, pods) + endpoints_for(adm, pods) + \
        app.objects()
    # kube-system: CoreDNS, not behind any Ingress: no check may look at it
    dc = container("coredns", "registry.k8s.io/coredns/coredns:v1.11.3",
                   ports=(("dns", 53), ("metrics", 9153)),
                   readiness=http_probe(8181, "/ready", delay=0), liveness=http_probe(8080, "/health",
                                                                                    delay=60),
                   mem=("70Mi", "170Mi"), cpu="100m", prestop=False,
                   args=["-conf", "/etc/coredns/Corefile"])
    dns = App("kube-system", "coredns", [dc], 2, 2, created="-120d 09:01:00",
              labels={"k8s-app": "kube-dns"})
    dns.ok(0, "node-a", 2, start="-60d 07:13:00")
    dns.ok(1, "node-b", 2, start="-60d 07:13:05")
    write("10-ingress-nginx.yaml",
          "The ingress-nginx controller (two ready pods, v1.12.1), its ConfigMap and\n"
          "Service, the IngressClasses (nginx is the default), and CoreDNS.",
          objs + dns.objects())


# ------------------------------------------------------------------ shop

def shop():
    ns = "shop"
    objs = []
    evs = []
    img = "ghcr.io/acme-shop/{}:{}"

    objs.append(ingress(ns, "storefront",
                        [("shop.example.com", [("/", "web", 80), ("/api", "api", 8080),
                                               ("/cart", "cart", 80), ("/search", "search", 80)])],
                        tls=[{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]))
    objs.append(ingress(ns, "content",
                        [("static.shop.example.com", [("/images", "images", 80),
                                                      ("/reviews", "reviews", 80),
                                                      ("/recommendations", "recommendations", 80),
                                                      ("/inventory", "inventory", 80)])],
                        tls=[{"hosts": ["static.shop.example.com"], "secretName": "shop-tls"}]))
    objs.append(ingress(ns, "admin", [("admin.shop.example.com", [("/", "admin-ui", 80)])],
                        comment="FAULT ingress-service-missing: the backend is Service \"admin-ui\", which\n"
                                "does not exist; the Service is called \"admin\"."))
    objs.append(secret_meta(ns, "shop-tls"))

    http80 = [{"name": "http", "port": 80, "targetPort": "http"}]
    # web: healthy
    web = App(ns, "web", [container("web", img.format("web", "2.14.3"))], 2, 2)
    web.ok(0, "node-a", 11)
    web.ok(1, "node-b", 11)
    s = service(ns, "web", http80, {"app": "web"}, cluster_ip="10.96.14.21")
    objs += [s] + endpoints_for(s, web.pods) + web.objects()

    # api: readiness failing on every pod
    api_c = container("api", img.format("api", "4.2.0"), readiness=http_probe("http", "/ready"),
                      mem=("256Mi", "512Mi"))
    api = App(ns, "api", [api_c], 2, 0,
              comment="FAULT service-no-ready-endpoints: both api pods fail their readiness probe\n"
                      "(HTTP 500 since 08:52): the Service has no ready endpoint.")
    for i, (nd, ip) in enumerate((("node-a", 21), ("node-b", 21))):
        name = api.podname(i)
        start = "-2d 09:20:00"
        st = [cstatus(api_c, running(plus(start, 2)), False, started=True)]
        p = api.add(pod(ns, name, api.podlabels, api.owner, nd, NET[nd] + str(ip), [api_c], st,
                        created=plus(start, -3), start=start, not_ready_since="08:52:1" + str(i),
                        host_ip=HOST[nd],
                        comment="FAULT readiness-probe-failing: Running, container not ready; Unhealthy\n"
                                "events: \"Readiness probe failed: HTTP probe failed with statuscode: 500\"."))
        evs.append(pod_event(ns, p, "api", "Unhealthy",
                             "Readiness probe failed: HTTP probe failed with statuscode: 500", "Warning",
                             "08:52:0" + str(i), "09:59:5" + str(i), 407 - i))
    s = service(ns, "api", [{"name": "http", "port": 8080, "targetPort": "http"}], {"app": "api"},
                cluster_ip="10.96.14.35")
    objs += [s] + endpoints_for(s, api.pods) + api.objects()

    # cart: one pod crash-looping
    cart_c = container("cart", img.format("cart", "3.1.0"), mem=("128Mi", "256Mi"),
                       env=[{"name": "REDIS_URL", "value": "redis://redis-cart.shop.svc:6379/0"}])
    cart = App(ns, "cart", [cart_c], 2, 1,
               comment="FAULT service-partially-ready: 1 of 2 cart pods is ready (the other crash-loops).")
    cart.ok(0, "node-a", 31)
    name = cart.podname(1)
    start = "-2d 09:25:00"
    st = [cstatus(cart_c, waiting("CrashLoopBackOff",
                                  f"back-off 5m0s restarting failed container=cart pod={name}_shop"
                                  f"({uid('Pod', ns, name)})"), False, 14,
                  last=terminated("Error", 1, "09:55:02", "09:55:04"), started=False)]
    p = cart.add(pod(ns, name, cart.podlabels, cart.owner, "node-b", NET["node-b"] + "31", [cart_c], st,
                     created=plus(start, -3), start=start, not_ready_since="08:39:12", host_ip=HOST["node-b"],
                     comment="FAULT pod-crashloop: CrashLoopBackOff, last exit code 1 (Error), 14 restarts."))
    evs.append(pod_event(ns, p, "cart", "BackOff",
                         f"Back-off restarting failed container cart in pod {name}_shop"
                         f"({uid('Pod', ns, name)})", "Warning", "08:40:01", "09:59:31", 63))
    evs.append(pod_event(ns, p, "cart", "Pulled",
                         f"Container image \"{cart_c['image']}\" already present on machine", "Normal",
                         "08:39:10", "09:55:01", 14))
    s = service(ns, "cart", [{"name": "http", "port": 80, "targetPort": 8080}], {"app": "cart"},
                cluster_ip="10.96.14.48")
    objs += [s] + endpoints_for(s, cart.pods) + cart.objects()

    # search: readiness probe checks the admin port, traffic goes to http
    search_c = container("search", img.format("search", "1.8.2"), ports=(("http", 8080), ("admin", 9090)),
                         readiness=http_probe("admin", "/healthz"),
                         comment="FAULT probe-port-mismatch (warning): the readiness probe checks port admin\n"
                                 "(9090) while the Service sends traffic to port http (8080): the pod\n"
                                 "is marked ready even when the HTTP listener is down.")
    search = App(ns, "search", [search_c], 2, 2)
    search.ok(0, "node-a", 41)
    search.ok(1, "node-b", 41)
    s = service(ns, "search", http80, {"app": "search"}, cluster_ip="10.96.14.52")
    objs += [s] + endpoints_for(s, search.pods) + search.objects()

    # images: a stale endpoint of a deleted pod is still marked ready
    images = App(ns, "images", [container("images", img.format("images", "1.4.0"))], 2, 2)
    images.ok(0, "node-a", 51)
    images.ok(1, "node-b", 52)
    stale = f"images-{images.hash}-{suffix('stale-images', 5)}"
    s = service(ns, "images", http80, {"app": "images"}, cluster_ip="10.96.14.60")
    eps = endpoints_for(s, images.pods, extra=[("10.244.1.57", "node-b", stale, True)])
    eps[0]["metadata"]["#"] = (f"FAULT endpoints-stale: the endpoint 10.244.1.57 (pod {stale}) is still\n"
                               "ready, but that pod no longer exists (deleted in the last rollout).")
    eps[1]["metadata"]["#"] = "FAULT endpoints-stale: the legacy Endpoints keep the same deleted pod."
    objs += [s] + eps + images.objects()

    # reviews: named targetPort that no container declares
    reviews = App(ns, "reviews", [container("reviews", img.format("reviews", "2.0.1"))], 2, 2)
    reviews.ok(0, "node-a", 61)
    reviews.ok(1, "node-b", 61)
    s = service(ns, "reviews", [{"name": "http", "port": 80, "targetPort": "web"}], {"app": "reviews"},
                cluster_ip="10.96.14.71",
                comment="FAULT service-target-port-missing: targetPort \"web\" is not a port name of the\n"
                        "reviews containers (they name it \"http\"): the port gets no endpoints.")
    objs += [s] + endpoints_for(s, reviews.pods) + reviews.objects()

    # recommendations: Service without selector and without manual endpoints
    rec = App(ns, "recommendations", [container("recommendations", img.format("recommendations", "0.9.4"))],
              1, 1)
    rec.ok(0, "node-b", 71)
    s = service(ns, "recommendations", [{"name": "http", "port": 80, "targetPort": 8080}], None,
                cluster_ip="10.96.14.80",
                comment="FAULT service-no-selector: no spec.selector and no manually managed\n"
                        "EndpointSlice/Endpoints: the Service has no endpoints at all (the\n"
                        "recommendations pods exist but nothing ties them to it).")
    objs += [s] + rec.objects()

    # inventory: readiness probe gives up long before the app is ready
    inv_c = container("inventory", img.format("inventory", "5.3.0"), mem=("512Mi", "768Mi"),
                      readiness=http_probe("http", "/actuator/health/readiness", delay=5, period=5),
                      liveness=http_probe("http", "/actuator/health/liveness", delay=120, period=10),
                      comment="FAULT probe-initial-delay-short: the readiness probe allows\n"
                              "initialDelaySeconds 5 + failureThreshold 3 x periodSeconds 5 = 20s,\n"
                              "but this Spring Boot app took 95s from start to Ready.")
    inv = App(ns, "inventory", [inv_c], 2, 2)
    inv.ok(0, "node-a", 81, start="08:40:00", ready_after=93)
    inv.ok(1, "node-b", 81, start="08:40:20", ready_after=96)
    s = service(ns, "inventory", http80, {"app": "inventory"}, cluster_ip="10.96.14.91")
    objs += [s] + endpoints_for(s, inv.pods) + inv.objects()

    # admin: healthy, but the Ingress names it admin-ui
    adm = App(ns, "admin", [container("admin", img.format("admin", "1.2.0"))], 1, 1)
    adm.ok(0, "node-a", 91)
    s = service(ns, "admin", http80, {"app": "admin"}, cluster_ip="10.96.14.99")
    objs += [s] + endpoints_for(s, adm.pods) + adm.objects()

    write("20-shop.yaml",
          "Namespace shop: Ingresses storefront, content and admin.\n"
          "Healthy: / -> web. Broken: /api (readiness), /cart (crash loop), /search\n"
          "(probe port), /images (stale endpoint), /reviews (target port),\n"
          "/recommendations (no selector), /inventory (slow start), admin (no Service).",
          objs + evs)


# ------------------------------------------------------------------ payments

def payments():
    ns = "payments"
    objs, evs = [], []
    img = "registry.example.com/payments/{}:{}"
    objs.append(ingress(ns, "checkout",
                        [("pay.example.com", [("/", "checkout", "http"), ("/ledger", "ledger", 80)])],
                        tls=[{"hosts": ["pay.example.com"], "secretName": "pay-tls"}],
                        comment="FAULT ingress-tls-secret-missing: Secret \"pay-tls\" does not exist (the\n"
                                "certificate is in \"payments-tls\"): ingress-nginx serves its default\n"
                                "fake certificate."))
    objs.append(ingress(ns, "webhooks", [("hooks.example.com", [("/stripe", "webhooks", 80)])]))
    objs.append(ingress(ns, "fraud", [("fraud.pay.example.com", [("/", "fraud-api", 80)])],
                        comment="FAULT ingress-backend-externalname (warning): fraud-api is an ExternalName\n"
                                "Service; the controller must resolve the partner's DNS name itself."))
    objs.append(secret_meta(ns, "payments-tls"))

    # checkout: two pods on the NotReady node, one OOMKilled once
    co_c = container("checkout", img.format("checkout", "7.0.3"), mem=("384Mi", "512Mi"))
    co = App(ns, "checkout", [co_c], 3, 1,
             comment="FAULT service-partially-ready: 1 of 3 checkout pods is a ready endpoint\n"
                     "(two sit on the NotReady node-d).")
    for i, ip in ((0, 12), (1, 15)):
        name = co.podname(i)
        start = "-3d 11:02:00"
        st = [cstatus(co_c, running(plus(start, 2)), True, started=True)]
        p = co.add(pod(ns, name, co.podlabels, co.owner, "node-d", NET["node-d"] + str(ip), [co_c], st,
                       created=plus(start, -3), start=start, not_ready_since="09:57:15",
                       not_ready_reason=None, host_ip=HOST["node-d"],
                       comment="On node-d (NotReady): the node controller set Ready=False at 09:57:15;\n"
                               "the container status is the kubelet's last report."))
        evs.append(event(ns, ("Pod", name, p.obj["metadata"]["uid"], "v1"), "NodeNotReady",
                         "Node is not ready", "Warning", "09:57:15", "09:57:15", 1, "node-controller"))
    name = co.podname(2)
    start = "-3d 11:02:30"
    st = [cstatus(co_c, running("09:41:12"), True, 1,
                  last=terminated("OOMKilled", 137, plus(start, 2), "09:41:10"), started=True)]
    co.add(pod(ns, name, co.podlabels, co.owner, "node-b", NET["node-b"] + "44", [co_c], st,
               created=plus(start, -3), start=start, ready_at="09:41:20", host_ip=HOST["node-b"],
               comment="FAULT pod-oomkilled: last termination OOMKilled (exit 137) at 09:41:10 with\n"
                       "a 512Mi memory limit; requests in flight got 502."))
    s = service(ns, "checkout", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "checkout"},
                cluster_ip="10.96.20.11")
    objs += [s] + endpoints_for(s, co.pods) + co.objects()

    # ledger: liveness probe times out under load, container restarted 6 times
    lg_c = container("ledger", img.format("ledger", "2.4.1"), mem=("512Mi", "1Gi"))
    lg = App(ns, "ledger", [lg_c], 2, 2)
    name = lg.podname(0)
    start = "-1d 14:00:00"
    st = [cstatus(lg_c, running("09:58:01"), True, 6,
                  last=terminated("Error", 143, "09:31:40", "09:57:59"), started=True)]
    p = lg.add(pod(ns, name, lg.podlabels, lg.owner, "node-a", NET["node-a"] + "63", [lg_c], st,
                   created=plus(start, -3), start=start, ready_at="09:58:09", host_ip=HOST["node-a"],
                   comment="FAULT liveness-probe-failing + pod-restarting: the liveness probe times\n"
                           "out under load (1s timeout); the kubelet restarted the container 6 times."))
    evs.append(pod_event(ns, p, "ledger", "Unhealthy",
                         "Liveness probe failed: Get \"http://10.244.0.63:8080/healthz\": context deadline "
                         "exceeded (Client.Timeout exceeded while awaiting headers)", "Warning",
                         "08:02:11", "09:57:31", 18))
    evs.append(pod_event(ns, p, "ledger", "Killing",
                         "Container ledger failed liveness probe, will be restarted", "Normal",
                         "08:02:51", "09:57:31", 6))
    lg.ok(1, "node-b", 63, start="-1d 14:00:05")
    s = service(ns, "ledger", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "ledger"},
                cluster_ip="10.96.20.24")
    objs += [s] + endpoints_for(s, lg.pods) + lg.objects()

    # webhooks: selector typo
    wh = App(ns, "webhooks", [container("webhooks", img.format("webhooks", "1.1.0"))], 2, 2)
    wh.ok(0, "node-a", 72)
    wh.ok(1, "node-b", 72)
    s = service(ns, "webhooks", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "webhook"},
                cluster_ip="10.96.20.37",
                comment="FAULT service-selector-no-match: selector app=webhook matches no pod; the\n"
                        "pods are labelled app=webhooks (one letter off).")
    objs += [s] + endpoints_for(s, wh.pods) + wh.objects()

    objs.append(service(ns, "fraud-api", [{"name": "http", "port": 80}], typ="ExternalName",
                        external_name="scoring.fraud-partner.example.net"))
    write("30-payments.yaml",
          "Namespace payments: Ingresses checkout, webhooks and fraud.\n"
          "checkout: TLS secret missing, two pods on the NotReady node, one OOMKilled;\n"
          "/ledger: liveness restarts; webhooks: selector typo; fraud: ExternalName.",
          objs + evs)


# ------------------------------------------------------------------ blog

def blog():
    ns = "blog"
    objs, evs = [], []
    objs.append(ingress(ns, "blog",
                        [("blog.example.com", [("/", "ghost", 80), ("/media", "media", 80),
                                               ("/newsletter", "newsletter", 80)])],
                        class_name=None, annotations={"kubernetes.io/ingress.class": "nginx"},
                        comment="FAULT ingress-deprecated-api: the class is given by the deprecated\n"
                                "kubernetes.io/ingress.class annotation instead of spec.ingressClassName."))
    objs.append(ingress(ns, "preview", [("preview.blog.example.com", [("/", "ghost", 80)])],
                        class_name="nginx-internal", lb=False,
                        comment="FAULT ingress-class-missing: IngressClass \"nginx-internal\" does not exist\n"
                                "(the classes are nginx and traefik): no controller serves this Ingress."))
    gh_c = container("ghost", "ghost:5.101.3-alpine", ports=(("http", 2368),), mem=("256Mi", "512Mi"),
                     readiness=http_probe("http", "/ghost/api/admin/site/"))
    gh = App(ns, "ghost", [gh_c], 2, 2)
    gh.ok(0, "node-c", 14, comment="Runs on node-c, which is under memory pressure (node-pressure).")
    gh.ok(1, "node-a", 14)
    s = service(ns, "ghost", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "ghost"},
                cluster_ip="10.96.30.10")
    objs += [s] + endpoints_for(s, gh.pods) + gh.objects()

    # media: evicted from node-c, replacement cannot be scheduled
    md_c = container("media", "ghcr.io/acme-blog/media:1.6.0", mem=("512Mi", "2Gi"))
    md = App(ns, "media", [md_c], 1, 0,
             comment="FAULT service-no-ready-endpoints: the only replica was evicted and its\n"
                     "replacement is Pending.")
    ev_name = md.podname(0)
    start = "-4d 16:30:00"
    evict_msg = ("The node was low on resource: memory. Threshold quantity: 100Mi, available: 88204Ki. "
                 "Container media was using 1421Mi, request is 512Mi, has larger consumption of request. ")
    st = [cstatus(md_c, terminated("Error", 137, plus(start, 2), "09:18:31"), False, 0, started=False)]
    p = md.add(pod(ns, ev_name, md.podlabels, md.owner, "node-c", NET["node-c"] + "27", [md_c], st,
                   created=plus(start, -3), start=start, phase="Failed", reason="Evicted",
                   message=evict_msg, not_ready_since="09:18:31", not_ready_reason="PodFailed",
                   host_ip=HOST["node-c"],
                   extra_conditions=[cond("DisruptionTarget", "True", "09:18:30", "TerminationByKubelet",
                                          evict_msg)],
                   comment="FAULT pod-evicted: phase Failed, reason Evicted (node-c ran low on memory)."))
    p.obj["status"]["podIP"] = None
    del p.obj["status"]["podIP"]
    del p.obj["status"]["podIPs"]
    evs.append(event(ns, ("Pod", ev_name, p.obj["metadata"]["uid"], "v1"), "Evicted", evict_msg, "Warning",
                     "09:18:30", "09:18:30", 1, "kubelet", "node-c"))
    evs.append(pod_event(ns, p, "media", "Killing", "Stopping container media", "Normal",
                         "09:18:30", "09:18:30"))
    pend = md.podname(1)
    sched = ("0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, "
             "1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory. "
             "preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, "
             "2 Preemption is not helpful for scheduling.")
    p = md.add(pod(ns, pend, md.podlabels, md.owner, None, None, [md_c], [], created="09:18:31",
                   phase="Pending", scheduled=False, pending_message=sched,
                   comment="FAULT pod-pending: unschedulable since 09:18 (FailedScheduling)."))
    evs.append(event(ns, ("Pod", pend, p.obj["metadata"]["uid"], "v1"), "FailedScheduling", sched, "Warning",
                     "09:18:31", "09:59:41", 37, "default-scheduler"))
    s = service(ns, "media", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "media"},
                cluster_ip="10.96.30.22")
    objs += [s] + endpoints_for(s, md.pods) + md.objects()

    # newsletter: deployed from a quick-start manifest
    nl_c = container("newsletter", "ghcr.io/acme-blog/newsletter:0.3.0", readiness=None, liveness=None,
                     mem=None, cpu=None, prestop=False,
                     comment="FAULT readiness-probe-missing, pod-no-resources, rollout-no-prestop: no\n"
                             "readinessProbe, no memory request/limit, no preStop hook.")
    nl = App(ns, "newsletter", [nl_c], 1, 1)
    nl.ok(0, "node-b", 85, ready_after=1)
    s = service(ns, "newsletter", [{"name": "http", "port": 80, "targetPort": "http"}],
                {"app": "newsletter"}, cluster_ip="10.96.30.35")
    objs += [s] + endpoints_for(s, nl.pods) + nl.objects()
    write("40-blog.yaml",
          "Namespace blog: Ingresses blog (deprecated class annotation) and preview\n"
          "(missing class). ghost runs partly on node-c (memory pressure), media was\n"
          "evicted and cannot be rescheduled, newsletter lacks probes/resources/preStop.",
          objs + evs)


# ------------------------------------------------------------------ auth

def auth():
    ns = "auth"
    objs = []
    objs.append(ingress(ns, "sso", [("login.example.com", [("/", "keycloak", "https")])],
                        tls=[{"hosts": ["login.example.com"], "secretName": "auth-tls"}],
                        comment="FAULT ingress-backend-protocol-mismatch: the backend port is \"https\"\n"
                                "(appProtocol https, Keycloak serves TLS on 8443) but there is no\n"
                                "nginx.ingress.kubernetes.io/backend-protocol: HTTPS annotation, so\n"
                                "nginx speaks plain HTTP to a TLS port."))
    objs.append(ingress(ns, "accounts", [("accounts.example.com", [("/", "accounts", 8080)])],
                        comment="FAULT ingress-service-port-missing: the backend asks for port 8080; Service\n"
                                "accounts only has port 80 (http)."))
    objs.append(ingress(ns, "status", [("status.example.com", [("/", "status-page", 80)])],
                        class_name="traefik", lb=False,
                        comment="FAULT ingress-no-controller: class traefik names controller\n"
                                "traefik.io/ingress-controller, and no Traefik pod runs in the cluster."))
    objs.append(secret_meta(ns, "auth-tls"))

    kc_c = container("keycloak", "quay.io/keycloak/keycloak:26.0.7", ports=(("https", 8443),),
                     readiness=http_probe("https", "/health/ready", delay=20, scheme="HTTPS"),
                     liveness=http_probe("https", "/health/live", delay=60, scheme="HTTPS"),
                     mem=("1Gi", "1536Mi"), cpu="500m", args=["start", "--optimized"])
    kc = App(ns, "keycloak", [kc_c], 2, 2)
    kc.ok(0, "node-a", 101, ready_after=30)
    kc.ok(1, "node-b", 101, ready_after=32)
    s = service(ns, "keycloak", [{"name": "https", "port": 8443, "targetPort": "https",
                                  "appProtocol": "https"}], {"app": "keycloak"}, cluster_ip="10.96.40.8")
    objs += [s] + endpoints_for(s, kc.pods) + kc.objects()

    ac = App(ns, "accounts", [container("accounts", "ghcr.io/acme-auth/accounts:1.9.0")], 2, 2)
    ac.ok(0, "node-a", 111)
    ac.ok(1, "node-b", 111)
    s = service(ns, "accounts", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "accounts"},
                cluster_ip="10.96.40.15")
    objs += [s] + endpoints_for(s, ac.pods) + ac.objects()

    sp = App(ns, "status-page", [container("status-page", "ghcr.io/acme-auth/status-page:2.2.0")], 1, 1)
    sp.ok(0, "node-a", 121)
    s = service(ns, "status-page", [{"name": "http", "port": 80, "targetPort": "http"}],
                {"app": "status-page"}, cluster_ip="10.96.40.23",
                comment="FAULT endpointslice-mismatch: a selector Service with a legacy Endpoints\n"
                        "object but no EndpointSlice at all (the EndpointSlice controller never\n"
                        "reconciled it after the 1.31 upgrade); ingress-nginx reads EndpointSlices.")
    objs += [s] + endpoints_for(s, sp.pods, slice_=False) + sp.objects()
    write("50-auth.yaml",
          "Namespace auth: Ingresses sso (HTTP spoken to Keycloak's TLS port),\n"
          "accounts (wrong Service port) and status (IngressClass without controller,\n"
          "Service without EndpointSlice).",
          objs)


def main():
    os.makedirs(OUT, exist_ok=True)
    cluster()
    controller()
    shop()
    payments()
    blog()
    auth()


if __name__ == "__main__":
    main()
