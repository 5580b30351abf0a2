#!/usr/bin/env python3
"""gen-format-scenarios.py: writes the snapshots of tests/scenarios/format-*/,
one small broken cluster in every input format ingress-doctor reads (a
developer helper; the files are committed and the tests never run this).

The cluster: node-1; ingress-nginx (one ready controller pod, IngressClass
nginx, default); namespace shop with Ingress web: / -> Service web (healthy)
and /api -> Service api (its only pod fails its readiness probe). Expected in
every format: readiness-probe-failing (the api pod), service-no-ready-endpoints
(api), controller-retired (the controller pod). format-yaml-typing and
format-legacy-ingress add one fault each (see their `expected`).

    python3 scripts/gen-format-scenarios.py
"""
import copy
import importlib.util
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from k8sgen import (Raw, container, cstatus, endpoints_for, event, http_probe, ingress, node,  # noqa
                    objects_json_list, pod, running, service, strip_comments, yaml_stream)

spec = importlib.util.spec_from_file_location("gendemo", os.path.join(HERE, "gen-demo.py"))
gd = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gd)
App, plus, pod_event = gd.App, gd.plus, gd.pod_event
gd.HOST["node-1"] = "10.0.0.21"
gd.NET["node-1"] = "10.244.7."

ROOT = os.path.join(HERE, "..", "tests", "scenarios")


def build(typing=False):
    """Returns dict kind-group -> objects, plus the pods for logs."""
    o = {}
    o["nodes"] = [node("node-1", "10.0.0.21", "10.244.7.0/24")]
    # controller
    labels = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
              "app.kubernetes.io/name": "ingress-nginx"}
    c = container("controller", "registry.k8s.io/ingress-nginx/controller:v1.12.1",
                  ports=(("http", 80), ("https", 443), ("metrics", 10254)),
                  readiness=http_probe(10254, "/healthz", delay=10), liveness=http_probe(10254, "/healthz",
                                                                                         delay=10),
                  mem=None, cpu=None, prestop=False,
                  args=["/nginx-ingress-controller", "--controller-class=k8s.io/ingress-nginx",
                        "--ingress-class=nginx", "--configmap=ingress-nginx/ingress-nginx-controller"])
    c["resources"] = {"requests": {"cpu": "100m", "memory": "90Mi"}}
    ctl = App("ingress-nginx", "ingress-nginx-controller", [c], 1, 1, created="-40d 09:00:00", labels=labels)
    ctl.ok(0, "node-1", 5, start="-3d 08:00:00", ready_after=12)
    klass = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
             "metadata": gd.meta("nginx", None, "-40d 09:00:00", labels,
                                 {"ingressclass.kubernetes.io/is-default-class": "true"}, kind="IngressClass"),
             "spec": {"controller": "k8s.io/ingress-nginx"}}
    o["ingress-nginx"] = ctl.objects()
    o["ingressclasses"] = [klass]
    # shop
    ns = "shop"
    web_c = container("web", "ghcr.io/acme-shop/web:2.14.3", readiness=http_probe(8080, "/ready"))
    web = App(ns, "web", [web_c], 1, 1)
    web.ok(0, "node-1", 11)
    api_port = Raw("017620", 8080) if typing else 8080   # YAML 1.1 octal: 017620 == 8080
    api_c = container("api", "ghcr.io/acme-shop/api:4.2.0", ports=((None, api_port),),
                      readiness=http_probe(8080, "/ready"), liveness=http_probe(8080, "/healthz", delay=15))
    api = App(ns, "api", [api_c], 1, 0)
    name = api.podname(0)
    start = "-1d 09:20:00"
    st = [cstatus(api_c, running(plus(start, 2)), False, started=True)]
    if typing:
        st[0]["ready"] = Raw("no", False)
        st[0]["started"] = Raw("yes", True)
    p = api.add(pod(ns, name, api.podlabels, api.owner, "node-1", "10.244.7.21", [api_c], st,
                    created=plus(start, -3), start=start, not_ready_since="09:31:10", host_ip="10.0.0.21"))
    ev = [pod_event(ns, p, "api", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503",
                    "Warning", "09:31:02", "09:59:42", 173)]
    s_web = service(ns, "web", [{"name": "http", "port": 80, "targetPort": "http"}], {"app": "web"},
                    cluster_ip="10.96.7.10")
    s_api = service(ns, "api", [{"name": "http", "port": 8080, "targetPort": 8080}], {"app": "api"},
                    cluster_ip="10.96.7.20")
    if typing:
        s_api["spec"]["publishNotReadyAddresses"] = Raw("off", False)
    pods = web.pods + api.pods
    paths = [("/", "web", 80), ("/api", "api", 8080)]
    extra_svc, extra_apps = [], []
    if typing:
        leg_c = container("legacy", "ghcr.io/acme-shop/legacy:1.0.0", ports=((None, 8080),),
                          readiness=http_probe(8080, "/ready"), liveness=http_probe(8080, "/healthz"))
        leg = App(ns, "legacy", [leg_c], 1, 1)
        leg.ok(0, "node-1", 31)
        s_leg = service(ns, "legacy", [{"name": "http", "port": 80, "targetPort": "8080"}], {"app": "legacy"},
                        cluster_ip="10.96.7.30",
                        comment='targetPort "8080" is quoted: a string, i.e. a port NAME (no container\n'
                                "declares a port named \"8080\"), not the number 8080.")
        extra_svc = [s_leg] + endpoints_for(s_leg, leg.pods)
        extra_apps = leg.objects()
        pods = pods + leg.pods
        paths.append(("/legacy", "legacy", 80))
    ing = ingress(ns, "web", [("shop.example.com", paths)])
    eps = endpoints_for(s_web, pods) + endpoints_for(s_api, pods)
    if typing:
        # EndpointSlice conditions as YAML 1.1 booleans
        for e in eps[0]["endpoints"]:
            e["conditions"] = {"ready": Raw("yes", True), "serving": Raw("on", True),
                               "terminating": Raw("off", False)}
        for e in eps[2]["endpoints"]:
            e["conditions"] = {"ready": Raw("no", False), "serving": Raw("No", False),
                               "terminating": Raw("OFF", False)}
    o["ingresses"] = [ing]
    o["services"] = [s_web, s_api] + extra_svc[:1]
    o["endpointslices"] = [x for x in eps + extra_svc[1:] if x["kind"] == "EndpointSlice"]
    o["endpoints"] = [x for x in eps + extra_svc[1:] if x["kind"] == "Endpoints"]
    o["shop-apps"] = web.objects() + api.objects() + extra_apps
    o["events"] = ev
    o["_pods"] = {"web": web, "api": api, "ctl": ctl}
    return o


def everything(o):
    return (o["nodes"] + o["ingressclasses"] + o["ingress-nginx"] + o["ingresses"] + o["services"]
            + o["endpointslices"] + o["endpoints"] + o["shop-apps"] + o["events"])


def fresh(name):
    d = os.path.join(ROOT, name)
    if os.path.isdir(os.path.join(d, "snapshot")):
        shutil.rmtree(os.path.join(d, "snapshot"))
    if os.path.exists(os.path.join(d, "stdin")):
        os.remove(os.path.join(d, "stdin"))
    os.makedirs(d, exist_ok=True)
    return d


def wr(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def typed_list(kind, api, items, kind_last=False):
    its = []
    for x in items:
        x = strip_comments(copy.deepcopy(x))
        x.pop("kind", None)
        x.pop("apiVersion", None)
        its.append(x)
    if kind_last:
        return json.dumps({"apiVersion": api, "items": its, "kind": kind + "List",
                           "metadata": {"resourceVersion": "48213"}}, indent=4, sort_keys=True) + "\n"
    return json.dumps({"kind": kind + "List", "apiVersion": api, "metadata": {"resourceVersion": "48213"},
                       "items": its}) + "\n"


def of(objs, kind, ns=None):
    return [x for x in objs if x["kind"] == kind and (ns is None or x["metadata"].get("namespace") == ns)]


def main():
    o = build()
    allo = everything(o)
    # format-list-json: kubectl get ... -A -o json (keys sorted: items before kind)
    d = fresh("format-list-json")
    wr(os.path.join(d, "snapshot", "cluster.json"), objects_json_list(allo))

    # format-typed-lists: API server list responses, items without kind/apiVersion
    d = fresh("format-typed-lists")
    s = os.path.join(d, "snapshot")
    wr(os.path.join(s, "nodes.json"), typed_list("Node", "v1", of(allo, "Node")))
    wr(os.path.join(s, "pods.json"), typed_list("Pod", "v1", of(allo, "Pod"), kind_last=True))
    wr(os.path.join(s, "services.json"), typed_list("Service", "v1", of(allo, "Service")))
    wr(os.path.join(s, "endpoints.json"), typed_list("Endpoints", "v1", of(allo, "Endpoints")))
    wr(os.path.join(s, "endpointslices.json"),
       typed_list("EndpointSlice", "discovery.k8s.io/v1", of(allo, "EndpointSlice")))
    wr(os.path.join(s, "ingresses.json"), typed_list("Ingress", "networking.k8s.io/v1", of(allo, "Ingress")))
    wr(os.path.join(s, "ingressclasses.json"),
       typed_list("IngressClass", "networking.k8s.io/v1", of(allo, "IngressClass")))
    wr(os.path.join(s, "events.json"), typed_list("Event", "v1", of(allo, "Event")))
    wr(os.path.join(s, "deployments.json"), typed_list("Deployment", "apps/v1", of(allo, "Deployment")))
    wr(os.path.join(s, "replicasets.json"), typed_list("ReplicaSet", "apps/v1", of(allo, "ReplicaSet")))

    # format-yaml-multidoc: --- separated objects, the pods as one List
    d = fresh("format-yaml-multidoc")
    pods = of(allo, "Pod")
    rest = [x for x in allo if x["kind"] != "Pod"]
    plist = {"apiVersion": "v1", "items": pods, "kind": "List", "metadata": {"resourceVersion": ""}}
    wr(os.path.join(d, "snapshot", "cluster.yaml"),
       yaml_stream(rest[:5] + [plist] + rest[5:], "kubectl get ... -o yaml documents, '---' separated;\n"
                                                 "the pods come as one List document."))

    # format-directory: nested directories, JSON and YAML mixed, a README.txt to skip
    d = fresh("format-directory")
    s = os.path.join(d, "snapshot")
    wr(os.path.join(s, "README.txt"), "Snapshot taken for ticket OPS-1841 before the api rollback.\n"
                                      "Not a Kubernetes object: ingress-doctor must skip it with a warning.\n")
    wr(os.path.join(s, "cluster", "nodes.yaml"), yaml_stream(o["nodes"]))
    wr(os.path.join(s, "ingress-nginx", "controller.json"),
       objects_json_list(o["ingress-nginx"] + o["ingressclasses"]))
    wr(os.path.join(s, "shop", "apps", "web-and-api.yaml"), yaml_stream(o["shop-apps"]))
    wr(os.path.join(s, "shop", "network", "ingress.yml"), yaml_stream(o["ingresses"] + o["services"]))
    wr(os.path.join(s, "shop", "network", "endpoints", "slices.json"), objects_json_list(o["endpointslices"]))
    wr(os.path.join(s, "shop", "network", "endpoints", "legacy.json"),
       json.dumps(strip_comments(o["endpoints"][0]), indent=2) + "\n")
    wr(os.path.join(s, "shop", "network", "endpoints", "legacy-api.json"),
       json.dumps(strip_comments(o["endpoints"][1]), indent=2) + "\n")
    wr(os.path.join(s, "shop", "events.json"), typed_list("Event", "v1", o["events"]))

    # format-cluster-info-dump: kubectl cluster-info dump --output-directory layout
    d = fresh("format-cluster-info-dump")
    s = os.path.join(d, "snapshot")
    wr(os.path.join(s, "nodes.json"), typed_list("Node", "v1", o["nodes"], kind_last=True))
    for ns in ("ingress-nginx", "shop"):
        wr(os.path.join(s, ns, "events.json"), typed_list("Event", "v1", of(allo, "Event", ns), True))
        wr(os.path.join(s, ns, "replication-controllers.json"),
           typed_list("ReplicationController", "v1", [], True))
        wr(os.path.join(s, ns, "services.json"), typed_list("Service", "v1", of(allo, "Service", ns), True))
        wr(os.path.join(s, ns, "daemonsets.json"), typed_list("DaemonSet", "apps/v1", [], True))
        wr(os.path.join(s, ns, "deployments.json"),
           typed_list("Deployment", "apps/v1", of(allo, "Deployment", ns), True))
        wr(os.path.join(s, ns, "replicasets.json"),
           typed_list("ReplicaSet", "apps/v1", of(allo, "ReplicaSet", ns), True))
        wr(os.path.join(s, ns, "pods.json"), typed_list("Pod", "v1", of(allo, "Pod", ns), True))
        for p in of(allo, "Pod", ns):
            pn = p["metadata"]["name"]
            cn = p["spec"]["containers"][0]["name"]
            if cn == "controller":
                lines = ["-------------------------------------------------------------------------------",
                         "NGINX Ingress controller",
                         "  Release:       v1.12.1",
                         "  Build:         git-51c2b819",
                         "  Repository:    https://github.com/kubernetes/ingress-nginx",
                         "  nginx version: nginx/1.25.5",
                         "",
                         "-------------------------------------------------------------------------------",
                         "",
                         'I1124 08:00:05.412310       7 main.go:205] "Creating API client" host="https://10.96.0.1:443"',
                         'I1124 08:00:06.118094       7 controller.go:213] "Backend successfully reloaded"']
            elif cn == "api":
                lines = ["2026-11-27T09:31:00Z ERROR db: connection pool exhausted (postgres.shop.svc:5432)",
                         "2026-11-27T09:31:02Z WARN  /ready -> 503: database unavailable"]
            else:
                lines = ["2026-11-27T09:12:00Z INFO listening on :8080"]
            wr(os.path.join(s, ns, pn, "logs.txt"),
               f"==== START logs for container {cn} of pod {ns}/{pn} ====\n" + "\n".join(lines) +
               f"\n==== END logs for container {cn} of pod {ns}/{pn} ====\n")
    # what cluster-info dump lacks, fetched by hand:
    # kubectl get ingress,ingressclass,endpointslices -A -o json > ingresses.json
    wr(os.path.join(s, "ingresses.json"),
       objects_json_list(o["ingresses"] + o["ingressclasses"] + o["endpointslices"]))

    # format-stdin: kubectl get ... -A -o yaml | ingress-doctor diagnose --from -
    d = fresh("format-stdin")
    wr(os.path.join(d, "stdin"),
       yaml_stream([{"apiVersion": "v1", "items": allo, "kind": "List", "metadata": {"resourceVersion": ""}}]))

    # format-legacy-ingress: extensions/v1beta1 Ingress with serviceName/servicePort
    d = fresh("format-legacy-ingress")
    ing = strip_comments(copy.deepcopy(o["ingresses"][0]))
    ing["apiVersion"] = "extensions/v1beta1"
    ing["metadata"]["#"] = ("extensions/v1beta1 (removed in Kubernetes 1.22): backends are\n"
                            "serviceName/servicePort, servicePort by name for web, by number for api;\n"
                            "no pathType.")
    for r in ing["spec"]["rules"]:
        for pth in r["http"]["paths"]:
            svc = pth["backend"]["service"]
            pth["backend"] = {"serviceName": svc["name"],
                              "servicePort": "http" if svc["name"] == "web" else svc["port"]["number"]}
            del pth["pathType"]
    rest = [x for x in allo if x["kind"] != "Ingress"]
    wr(os.path.join(d, "snapshot", "cluster.yaml"), yaml_stream([ing] + rest))

    # format-yaml-typing: YAML 1.1 typing that changes the diagnosis
    d = fresh("format-yaml-typing")
    t = build(typing=True)
    wr(os.path.join(d, "snapshot", "cluster.yaml"),
       yaml_stream(everything(t),
                   "YAML 1.1 typing as Kubernetes (sigs.k8s.io/yaml) applies it:\n"
                   "- containerPort 017620 of the api pod is octal: 8080, the Service's targetPort;\n"
                   "- EndpointSlice conditions and container readiness use yes/no/on/off booleans;\n"
                   "- publishNotReadyAddresses: off is false (api endpoints stay not ready);\n"
                   "- targetPort \"8080\" of Service legacy is quoted: a port NAME, which no\n"
                   "  container declares (service-target-port-missing).")
       .replace("lastProbeTime: null", "lastProbeTime: ~"))


if __name__ == "__main__":
    main()
