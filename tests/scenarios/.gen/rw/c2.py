# healthy cluster 2: ALB, GKE-style annotation, Traefik, StatefulSet headless, resource backend, scoped namespace
import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k import *
I = []
N = ["gke-prod-pool-1-a1b2c3d4-x9k2", "gke-prod-pool-1-a1b2c3d4-m7p4"]
I += [node(N[0], "10.128.0.11", ver="v1.29.7-gke.1104000"), node(N[1], "10.128.0.12", ver="v1.29.7-gke.1104000")]
# AWS LB controller in kube-system
ALBI = "public.ecr.aws/eks/aws-load-balancer-controller:v2.8.2"
I.append(iclass("alb", "ingress.k8s.aws/alb", params={"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "alb"}))
for i, s in enumerate(["5b7c9", "8d2f1"]):
    c = container("aws-load-balancer-controller", ALBI, ports=[{"name": "webhook-server", "containerPort": 9443}, {"name": "metrics-server", "containerPort": 8080}],
                  ready=probe(61779, "/readyz", delay=10), live=probe(61779, "/healthz", delay=30), args=["--cluster-name=prod", "--ingress-class=alb", "--aws-region=eu-west-1"])
    I.append(pod("kube-system", f"aws-load-balancer-controller-6d8f5b9c7-{s}", {"app.kubernetes.io/instance": "aws-load-balancer-controller", "app.kubernetes.io/name": "aws-load-balancer-controller", "pod-template-hash": "6d8f5b9c7"},
                 [c], [running("aws-load-balancer-controller", ALBI)], N[i], f"10.4.{i}.5", owner_=owner("ReplicaSet", "aws-load-balancer-controller-6d8f5b9c7"), sa="aws-load-balancer-controller"))
# Traefik
TR = "docker.io/traefik:v3.1.2"
I.append(iclass("traefik", "traefik.io/ingress-controller"))
c = container("traefik", TR, ports=[{"name": "metrics", "containerPort": 9100}, {"name": "traefik", "containerPort": 9000}, {"name": "web", "containerPort": 8000}, {"name": "websecure", "containerPort": 8443}],
              ready=probe(9000, "/ping", delay=2, fail=1), live=probe(9000, "/ping", delay=2), args=["--entryPoints.web.address=:8000/tcp", "--providers.kubernetesingress", "--providers.kubernetesingress.ingressclass=traefik"])
I.append(pod("traefik", "traefik-5f8d7c6b9-qw2er", {"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-traefik", "helm.sh/chart": "traefik-31.0.0"}, [c], [running("traefik", TR)], N[0], "10.4.0.30", owner_=owner("ReplicaSet", "traefik-5f8d7c6b9")))

def app(ns, name, h, n, ports, img, probe_port="http", node_i=0, ipbase=10, extra_labels=None, res="burstable"):
    out = []
    for i in range(n):
        c = container(name, img, ports=ports, ready=probe(probe_port, "/ready"), prestop={"exec": {"command": ["sleep", "5"]}}, res=res)
        out.append(pod(ns, f"{name}-{h}-{'abcdefghjk'[i]}{i}x9z", dict({"app.kubernetes.io/name": name, "pod-template-hash": h}, **(extra_labels or {})), [c], [running(name, img)], N[(node_i + i) % 2], f"10.4.{ipbase}.{i+2}", owner_=owner("ReplicaSet", f"{name}-{h}")))
    return out
# alb app: multi-port, target-type ip, unnamed single port
blog = app("blog", "ghost", "7c8d9e6f5", 2, [{"containerPort": 2368}], "ghost:5.89", probe_port=2368, ipbase=10)
I += blog
I.append(svc("blog", "ghost", {"app.kubernetes.io/name": "ghost"}, [sport(80, 2368)]))
I.append(slice_("blog", "ghost", "z1x2c", [ep(p) for p in blog], eports((None, 2368))))
I[-1]["ports"] = [{"name": "", "port": 2368, "protocol": "TCP"}]
I.append(endpoints("blog", "ghost", blog, [], [{"port": 2368, "protocol": "TCP"}]))
I.append(ingress("blog", "ghost", [rule("blog.example.com", ("/", "Prefix", be("ghost", 80)))], cls="alb",
                 ann={"alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/target-type": "ip", "alb.ingress.kubernetes.io/listen-ports": "[{\"HTTPS\":443}]"}, lb="k8s-blog-ghost-1a2b3c4d5e-123456789.eu-west-1.elb.amazonaws.com"))
# GKE annotation only, no IngressClass 'gce': NodePort service
gk = app("web", "frontend", "66b7c8d9f", 2, [{"name": "http", "containerPort": 8080}], "gcr.io/prod/frontend:1.2.3", ipbase=20)
I += gk
I.append(svc("web", "frontend", {"app.kubernetes.io/name": "frontend"}, [sport(80, "http", "http", node_port=30080)], typ="NodePort", ann={"cloud.google.com/neg": "{\"ingress\":true}"}))
I.append(slice_("web", "frontend", "a9s8d", [ep(p) for p in gk], eports(("http", 8080))))
I.append(endpoints("web", "frontend", gk, [], eports(("http", 8080))))
I.append(ingress("web", "frontend", [rule("www.example.com", ("/*", "ImplementationSpecific", be("frontend", 80)))], ann={"kubernetes.io/ingress.class": "gce", "kubernetes.io/ingress.global-static-ip-name": "web-ip"}, lb="34.120.1.2"))
# Traefik: StatefulSet headless + regular service, publishNotReadyAddresses on headless
KC = "quay.io/keycloak/keycloak:25.0.4"
kc = []
for i in range(2):
    c = container("keycloak", KC, ports=[{"name": "http", "containerPort": 8080}, {"name": "management", "containerPort": 9000}, {"name": "jgroups", "containerPort": 7800}], ready=probe(9000, "/health/ready", delay=30), live=probe(9000, "/health/live", delay=60), startup=probe(9000, "/health/started", period=5, fail=60), prestop={"exec": {"command": ["sleep", "10"]}})
    kc.append(pod("auth", f"keycloak-{i}", {"app.kubernetes.io/name": "keycloak", "statefulset.kubernetes.io/pod-name": f"keycloak-{i}", "apps.kubernetes.io/pod-index": str(i), "controller-revision-hash": "keycloak-7b9c8d6f5"}, [c], [running("keycloak", KC)], N[i], f"10.4.30.{i+2}", owner_=owner("StatefulSet", "keycloak")))
    kc[-1]["spec"]["hostname"] = f"keycloak-{i}"; kc[-1]["spec"]["subdomain"] = "keycloak-headless"
I += kc
I.append(svc("auth", "keycloak-headless", {"app.kubernetes.io/name": "keycloak"}, [sport(7800, "jgroups", "jgroups")], headless=True, pnra=True))
I.append(svc("auth", "keycloak", {"app.kubernetes.io/name": "keycloak"}, [sport(80, "http", "http"), sport(9000, "management", "management")]))
for s in ("keycloak-headless", "keycloak"):
    ps = eports(("jgroups", 7800)) if s.endswith("headless") else eports(("http", 8080), ("management", 9000))
    eps = [ep(p) for p in kc]
    for e, p in zip(eps, kc): e["hostname"] = p["metadata"]["name"]
    I.append(slice_("auth", s, "k3j4h", eps, ps))
    I.append(endpoints("auth", s, kc, [], ps))
I.append(ingress("auth", "keycloak", [rule("sso.example.com", ("/", "Prefix", be("keycloak", "http")))], cls="traefik", lb="10.128.0.50",
                 ann={"traefik.ingress.kubernetes.io/router.entrypoints": "websecure", "traefik.ingress.kubernetes.io/router.tls": "true"}))
# resource backend + default backend only
I.append(ingress("auth", "static-assets", [rule("assets.example.com", ("/", "Prefix", {"resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket", "name": "static-assets"}}))], cls="traefik", lb="10.128.0.50"))
# scoped namespace: services + slices present, pods not (collected with a namespace-scoped account that cannot read pods there)
I.append(svc("payments", "gateway", {"app": "gateway"}, [sport(443, 8443, "https", app="https")]))
I.append(svc("payments", "gateway-http", {"app": "gateway"}, [sport(80, 8080, "http")]))
gw_eps = [{"addresses": [f"10.4.40.{i}"], "conditions": {"ready": True, "serving": True, "terminating": False}, "nodeName": N[i % 2], "targetRef": {"kind": "Pod", "namespace": "payments", "name": f"gateway-5d6f7b8c9-{s}", "uid": uid("gw" + s)}} for i, s in enumerate(["tt1aa", "uu2bb"])]
I.append(slice_("payments", "gateway-http", "p0o9i", gw_eps, eports(("http", 8080))))
I.append(ingress("payments", "gateway", [rule("pay.example.com", ("/", "Prefix", be("gateway-http", 80)))], cls="alb", lb="k8s-payments-1.eu-west-1.elb.amazonaws.com"))
# events.k8s.io/v1 style event, huge count, fresh, Normal (pulled) and old warning
ev = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta("Event", "blog", blog[0]["metadata"]["name"] + ".17f0a1b2c3d4e5f6", age=120),
      "regarding": {"kind": "Pod", "namespace": "blog", "name": blog[0]["metadata"]["name"], "uid": blog[0]["metadata"]["uid"], "apiVersion": "v1", "fieldPath": "spec.containers{ghost}"},
      "reason": "Pulled", "note": "Container image \"ghost:5.89\" already present on machine", "type": "Normal", "action": "Pulling", "reportingController": "kubelet", "reportingInstance": N[0],
      "eventTime": None, "deprecatedCount": 1, "deprecatedFirstTimestamp": ts(120), "deprecatedLastTimestamp": ts(120), "deprecatedSource": {"component": "kubelet", "host": N[0]}}
I.append(ev)
ev2 = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta("Event", "web", gk[0]["metadata"]["name"] + ".17f0a1b2c3d4e5aa", age=86400),
       "regarding": {"kind": "Pod", "namespace": "web", "name": gk[0]["metadata"]["name"], "uid": gk[0]["metadata"]["uid"], "apiVersion": "v1", "fieldPath": "spec.containers{frontend}"},
       "reason": "Unhealthy", "note": "Readiness probe failed: HTTP probe failed with statuscode: 503", "type": "Warning", "action": "",
       "reportingController": "kubelet", "reportingInstance": N[0], "eventTime": "2024-09-19T12:00:00.000000Z", "series": {"count": 25000, "lastObservedTime": "2024-09-19T14:00:00.000000Z"}}
I.append(ev2)
I.append({"apiVersion": "v1", "kind": "Event", "metadata": meta("Event", "kube-system", "aws-lb.17f0", age=60), "involvedObject": {"kind": "Ingress", "namespace": "blog", "name": "ghost"}, "reason": "SuccessfullyReconciled", "message": "Successfully reconciled", "type": "Normal", "count": 123456789, "firstTimestamp": ts(86400*30), "lastTimestamp": ts(10), "source": {"component": "ingress"}})
write(sys.argv[1], I)
