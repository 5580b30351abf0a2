# healthy cluster 1: helm ingress-nginx x2, istio/linkerd sidecars, multi-port, rollouts, canary, jobs, dual-stack
import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k import *
I = []
NODES = ["ip-10-0-1-11.eu-west-1.compute.internal", "ip-10-0-1-12.eu-west-1.compute.internal", "ip-10-0-1-13.eu-west-1.compute.internal"]
I += [node(NODES[0], "10.0.1.11"), node(NODES[1], "10.0.1.12"), node(NODES[2], "10.0.1.13", unsched=True)]
NGX = "registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:d5f8217feeac4887cb1ed21f27c2674e58be06bd8f5184cacea2a69abaf78dce"
def nginx_install(ns, rel, cls, ccls, ds=False, n=2):
    lbl = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": rel, "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/part-of": "ingress-nginx", "app.kubernetes.io/version": "1.11.2", "helm.sh/chart": "ingress-nginx-4.11.2", "app.kubernetes.io/managed-by": "Helm"}
    plbl = {k: v for k, v in lbl.items() if k not in ("helm.sh/chart",)}
    full = rel + "-controller" if rel != "ingress-nginx" else "ingress-nginx-controller"
    args = ["/nginx-ingress-controller", f"--publish-service=$(POD_NAMESPACE)/{full}", "--election-id=" + rel + "-leader", f"--controller-class={ccls}", f"--ingress-class={cls}", f"--configmap=$(POD_NAMESPACE)/{full}", "--validating-webhook=:8443", "--validating-webhook-certificate=/usr/local/certificates/cert", "--validating-webhook-key=/usr/local/certificates/key", "--enable-metrics=true"]
    out = [iclass(cls, ccls, default=(cls == "nginx"))]
    out.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("ConfigMap", ns, full, labels=lbl), "data": {"allow-snippet-annotations": "false", "proxy-body-size": "10m"}})
    sel = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": rel, "app.kubernetes.io/name": "ingress-nginx"}
    out.append(svc(ns, full, sel, [sport(80, "http", "http", app="http", node_port=31080), sport(443, "https", "https", app="https", node_port=31443)], typ="LoadBalancer", labels=lbl))
    out.append(svc(ns, full + "-admission", sel, [sport(443, "webhook", "https-webhook", app="https")], labels=lbl))
    pods = []
    for i in range(n):
        pname = f"{full}-{'7d4db76b4f' if not ds else ''}{'-' if not ds else ''}{['x2xk8','bq7hn','9zw4c'][i]}"
        c = container("controller", NGX, ports=[{"name": "http", "containerPort": 80}, {"name": "https", "containerPort": 443}, {"name": "metrics", "containerPort": 10254}, {"name": "webhook", "containerPort": 8443}],
                      ready=probe(10254, "/healthz", delay=10, fail=3), live=probe(10254, "/healthz", delay=10, fail=5), args=args,
                      prestop={"exec": {"command": ["/wait-shutdown"]}}, env=[{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}, {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
                      extra={"resources": {"requests": {"cpu": "100m", "memory": "90Mi"}}})
        if ds: c["ports"] = [dict(p, hostPort=p["containerPort"]) for p in c["ports"]]
        nd = NODES[i % 2]
        ip = ("10.0.1.11" if i % 2 == 0 else "10.0.1.12") if ds else f"10.244.{i+1}.{20+i}"
        own = owner("DaemonSet", full) if ds else owner("ReplicaSet", full + "-7d4db76b4f")
        p = pod(ns, pname, dict(plbl, **({"controller-revision-hash": "6f7d9c8b5", "pod-template-generation": "1"} if ds else {"pod-template-hash": "7d4db76b4f"})), [c], [running("controller", NGX)], nd, ip, owner_=own, host_network=ds, grace=300, age=86400*12)
        pods.append(p)
    out += pods
    out.append(slice_(ns, full, "abcde", [ep(p) for p in pods], eports(("http", 80), ("https", 443))))
    out.append(endpoints(ns, full, pods, [], eports(("http", 80), ("https", 443))))
    return out
I += nginx_install("ingress-nginx", "ingress-nginx", "nginx", "k8s.io/ingress-nginx")
I += nginx_install("ingress-internal", "internal", "nginx-internal", "k8s.io/ingress-nginx-internal", ds=True)

# shop/web: istio sidecar, multi-port service, dual-stack slices split across several slices
ISTIO = "docker.io/istio/proxyv2:1.22.3"
def istio():
    return container("istio-proxy", ISTIO, ports=[{"name": "http-envoy-prom", "containerPort": 15090}], ready=probe(15021, "/healthz/ready", period=15, fail=4),
                     startup=probe(15021, "/healthz/ready", period=1, fail=600), args=["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local"], extra={"resources": {"requests": {"cpu": "10m", "memory": "40Mi"}, "limits": {"cpu": "2", "memory": "1Gi"}}})
WEB = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:2024.09.18-3f2a1c@sha256:9b2f1e5c0d3a4b6c7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d"
web = []
lbl = {"app": "web", "version": "v1", "pod-template-hash": "5c9f8d7b6d", "security.istio.io/tlsMode": "istio", "service.istio.io/canonical-name": "web"}
for i, sfx in enumerate(["4kq2m", "9xv7p", "tz6wr", "jn3bd"]):
    init = [container("istio-init", ISTIO, args=["istio-iptables", "-p", "15001"], extra={"resources": {"requests": {"cpu": "10m", "memory": "40Mi"}, "limits": {"cpu": "2", "memory": "1Gi"}}})]
    cs = [container("web", WEB, ports=[{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}], ready=probe("http", "/ready"), live=probe("http", "/live", delay=15), prestop={"exec": {"command": ["sleep", "10"]}}), istio()]
    st = [running("istio-proxy", ISTIO), running("web", WEB, restarts=(9 if i == 0 else 0), last=(terminated("OOMKilled", 137, 86400*5, 86400*4.9) if i == 0 else None), started=(86400*4.9 if i == 0 else 86400*3))]
    ist = [{"name": "istio-init", "image": ISTIO, "imageID": "x", "ready": True, "restartCount": 0, "started": False, "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": ts(86400*3+30), "finishedAt": ts(86400*3+29)}}, "lastState": {}}]
    web.append(pod("shop", "web-5c9f8d7b6d-" + sfx, lbl, cs, st, NODES[i % 3], f"10.244.{i%3+1}.{40+i}", owner_=owner("ReplicaSet", "web-5c9f8d7b6d"), age=86400*20, init=init, init_statuses=ist, ips=[f"10.244.{i%3+1}.{40+i}", f"fd00:10:244:{i%3+1}::{40+i:x}"]))
I += web
I.append(svc("shop", "web", {"app": "web"}, [sport(80, "http", "http"), sport(9090, 9090, "metrics")]))
I[-1]["spec"]["ipFamilies"] = ["IPv4", "IPv6"]; I[-1]["spec"]["ipFamilyPolicy"] = "PreferDualStack"
I.append(slice_("shop", "web", "8f2kd", [ep(p) for p in web[:2]], eports(("http", 8080), ("metrics", 9090))))
I.append(slice_("shop", "web", "b7c4x", [ep(p) for p in web[2:]], eports(("http", 8080), ("metrics", 9090))))
I.append(slice_("shop", "web", "q9w2e", [ep(p, ip=p["status"]["podIPs"][1]["ip"]) for p in web], eports(("http", 8080), ("metrics", 9090)), af="IPv6"))
I.append(endpoints("shop", "web", web, [], eports(("http", 8080), ("metrics", 9090))))
I.append(deploy("shop", "web", {"app": "web"}, 4))

# shop/api: containers declare no ports, numeric targetPort; linkerd native sidecar; job pods with same labels
API = "ghcr.io/example/api:1.4.2"
LD = "cr.l5d.io/linkerd/proxy:edge-24.9.2"
api = []
for i, sfx in enumerate(["m2x9z", "p4k7r"]):
    init = [container("linkerd-init", "cr.l5d.io/linkerd/proxy-init:v2.4.1", args=["--incoming-proxy-port", "4143"]),
            container("linkerd-proxy", LD, ports=[{"name": "linkerd-proxy", "containerPort": 4143}, {"name": "linkerd-admin", "containerPort": 4191}], ready=probe(4191, "/ready", delay=2), live=probe(4191, "/live", delay=10), extra={"restartPolicy": "Always"})]
    cs = [container("api", API, ready=probe(8080, "/healthz", delay=5), prestop={"sleep": {"seconds": 15}}, res="burstable")]
    ist = [{"name": "linkerd-init", "image": "x", "imageID": "x", "ready": True, "restartCount": 0, "started": False, "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": ts(86400*2), "finishedAt": ts(86400*2-2)}}, "lastState": {}},
           running("linkerd-proxy", LD, started=86400*2)]
    api.append(pod("shop", "api-6b8d9f7c5b-" + sfx, {"app": "api", "pod-template-hash": "6b8d9f7c5b", "linkerd.io/control-plane-ns": "linkerd"}, cs, [running("api", API, started=86400*2)], NODES[i], f"10.244.{i+1}.{60+i}", owner_=owner("ReplicaSet", "api-6b8d9f7c5b"), init=init, init_statuses=ist, age=86400*2))
# job pod with same labels, completed
jp = pod("shop", "api-migrate-28771200-7xk2p", {"app": "api", "batch.kubernetes.io/job-name": "api-migrate-28771200", "job-name": "api-migrate-28771200"}, [container("migrate", API, args=["migrate"], res="none")],
         [{"name": "migrate", "image": API, "imageID": "x", "ready": False, "restartCount": 0, "started": False, "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": ts(7200), "finishedAt": ts(7100)}}, "lastState": {}}],
         NODES[0], "10.244.1.99", owner_=owner("Job", "api-migrate-28771200", "batch/v1"), phase="Succeeded", ready=False, age=7300, qos="BestEffort")
jp["spec"]["restartPolicy"] = "Never"
jp["status"]["conditions"][2]["reason"] = "PodCompleted"; jp["status"]["conditions"][3]["reason"] = "PodCompleted"
I += api + [jp]
I.append(svc("shop", "api", {"app": "api"}, [sport(80, 8080)]))
I.append(slice_("shop", "api", "x8d2k", [ep(p) for p in api], eports((None, 8080))))
I[-1]["ports"] = [{"name": "", "port": 8080, "protocol": "TCP"}]
I.append(endpoints("shop", "api", api, [], [{"port": 8080, "protocol": "TCP"}]))

# shop/checkout: rollout in progress: 3 new ready, 2 old terminating (serving true and false)
CK1 = "ghcr.io/example/checkout:3.1.0"; CK2 = "ghcr.io/example/checkout:3.2.0"
def ckpod(sfx, hashv, img, idx, deleted=None, ready=True, age=600):
    c = [container("checkout", img, ports=[{"name": "http", "containerPort": 8000}], ready=probe("http", "/ready"), prestop={"exec": {"command": ["sleep", "20"]}})]
    return pod("shop", f"checkout-{hashv}-{sfx}", {"app": "checkout", "pod-template-hash": hashv}, c, [running("checkout", img, ready=ready, started=age-5)], NODES[idx % 2], f"10.244.{idx%2+1}.{80+idx}", owner_=owner("ReplicaSet", "checkout-" + hashv), age=age, deleted=deleted, ready=ready, grace=45)
new = [ckpod(s, "7f9c6d5b8", CK2, i, age=300 - i * 60) for i, s in enumerate(["a1b2c", "d3e4f", "g5h6j"])]
old1 = ckpod("k7l8m", "59d8b7c6f4", CK1, 3, deleted=-20, ready=True, age=86400)
old2 = ckpod("n9p2q", "59d8b7c6f4", CK1, 4, deleted=-10, ready=False, age=86400)
I += new + [old1, old2]
I.append(svc("shop", "checkout", {"app": "checkout"}, [sport(80, "http", "http")]))
I.append(slice_("shop", "checkout", "r5t6y", [ep(p) for p in new] + [ep(old1, ready=False, serving=True, terminating=True), ep(old2, ready=False, serving=False, terminating=True)], eports(("http", 8000))))
I.append(endpoints("shop", "checkout", new, [], eports(("http", 8000))))
I.append(event("shop", "Pod", old2["metadata"]["name"], "Unhealthy", "Readiness probe failed: Get \"http://10.244.1.84:8000/ready\": dial tcp 10.244.1.84:8000: connect: connection refused", count=2, first=15, last=5, field="spec.containers{checkout}", obj_uid=old2["metadata"]["uid"]))
I.append(event("shop", "Pod", old1["metadata"]["name"], "Killing", "Stopping container checkout", typ="Normal", first=20, last=20, field="spec.containers{checkout}", obj_uid=old1["metadata"]["uid"]))

# shop/catalog: canary, two deployments selected by one service
CAT = "ghcr.io/example/catalog:"
cat = []
for i, (dep, h, v) in enumerate([("catalog", "6d5c4b3a2", "2.0.0"), ("catalog", "6d5c4b3a2", "2.0.0"), ("catalog-canary", "8e7f6a5b4", "2.1.0-rc1")]):
    c = [container("catalog", CAT + v, ports=[{"name": "http", "containerPort": 3000}], ready=probe("http", "/"), prestop={"exec": {"command": ["sleep", "5"]}})]
    cat.append(pod("shop", f"{dep}-{h}-{['aa1bb','cc2dd','ee3ff'][i]}", {"app": "catalog", "track": "canary" if "canary" in dep else "stable", "pod-template-hash": h}, c, [running("catalog", CAT + v)], NODES[i % 3], f"10.244.{i%3+1}.{100+i}", owner_=owner("ReplicaSet", f"{dep}-{h}")))
I += cat
I.append(svc("shop", "catalog", {"app": "catalog"}, [sport(80, "http", "http")]))
I.append(slice_("shop", "catalog", "u7i8o", [ep(p) for p in cat], eports(("http", 3000))))
I.append(endpoints("shop", "catalog", cat, [], eports(("http", 3000))))
# events: old readiness failure at startup 2 days ago on a healthy pod; Deployment-kind event with a pod's name
I.append(event("shop", "Pod", cat[0]["metadata"]["name"], "Unhealthy", "Readiness probe failed: Get \"http://10.244.1.100:3000/\": dial tcp 10.244.1.100:3000: connect: connection refused", count=3, first=86400*3, last=86400*3 - 30, field="spec.containers{catalog}", obj_uid=cat[0]["metadata"]["uid"]))
I.append(event("shop", "ReplicaSet", cat[1]["metadata"]["name"], "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count=5, first=300, last=60))
I.append(event("shop", "Deployment", cat[2]["metadata"]["name"], "BackOff", "Back-off restarting failed container catalog in pod x", count=9, first=300, last=60))


# shop/reviews: classic istio injection, the app container declares no ports, numeric targetPort
RV = "docker.io/istio/examples-bookinfo-reviews-v1:1.20.1"
rv = []
for i, sfx in enumerate(["h7j8k", "l9m0n"]):
    cs = [container("reviews", RV, ready=probe(9080, "/health"), prestop={"exec": {"command": ["sleep", "5"]}}), istio()]
    rv.append(pod("shop", "reviews-v1-7b9c5d8f6c-" + sfx, {"app": "reviews", "version": "v1", "pod-template-hash": "7b9c5d8f6c"}, cs, [running("istio-proxy", ISTIO), running("reviews", RV)], NODES[i], f"10.244.{i+1}.{120+i}", owner_=owner("ReplicaSet", "reviews-v1-7b9c5d8f6c")))
I += rv
I.append(svc("shop", "reviews", {"app": "reviews"}, [sport(9080, 9080, "http")]))
I.append(slice_("shop", "reviews", "v5b6n", [ep(p) for p in rv], eports(("http", 9080))))
I.append(endpoints("shop", "reviews", rv, [], eports(("http", 9080))))
I.append(secret_pom("shop", "shop-tls"))
I.append(secret_pom("shop", "wildcard-shop-tls"))
I.append(ingress("shop", "storefront", [rule("shop.example.com", ("/", "Prefix", be("web", "http")), ("/api", "Prefix", be("api", 80)), ("/checkout", "Prefix", be("checkout", 80)), ("/reviews", "Prefix", be("reviews", 9080))),
                                        rule("*.shop.example.com", ("/", "Prefix", be("catalog", "http")))], cls="nginx",
                 ann={"nginx.ingress.kubernetes.io/proxy-body-size": "8m", "cert-manager.io/cluster-issuer": "letsencrypt"},
                 tls=[{"hosts": ["shop.example.com"], "secretName": "shop-tls"}, {"hosts": ["*.shop.example.com"], "secretName": "wildcard-shop-tls"}]))
I.append(ingress("shop", "internal-admin", [rule("admin.internal.example.com", ("/", "ImplementationSpecific", be("web", 80)))], cls="nginx-internal", lb="10.0.1.11"))
I.append(ingress("shop", "fallback", None, cls="nginx", default=be("web", "http")))
write(sys.argv[1], I)
