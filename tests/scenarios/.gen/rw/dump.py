# write a snapshot (cN.py items) as a `kubectl cluster-info dump --all-namespaces --output-directory` layout
import sys, json, os, collections
src, out = sys.argv[1], sys.argv[2]
items = json.load(open(src))["items"]
files = {"Pod": "pods.json", "Service": "services.json", "Event": "events.json", "Deployment": "deployments.json", "ReplicaSet": "replicasets.json", "DaemonSet": "daemonsets.json"}
by = collections.defaultdict(list); top = collections.defaultdict(list)
for o in items:
    k = o["kind"]; ns = o["metadata"].get("namespace")
    if k == "Node": top["nodes.json"].append(o)
    elif k in ("Ingress", "IngressClass", "EndpointSlice", "Endpoints", "Secret", "ConfigMap"): top[{"Ingress": "ingresses.json", "IngressClass": "ingressclasses.json", "EndpointSlice": "endpointslices.json", "Endpoints": "endpoints.json", "Secret": "secrets.json", "ConfigMap": "configmaps.json"}[k]].append(o)
    elif k in files: by[(ns, files[k])].append(o)
def wr(path, kind, its):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    json.dump({"kind": kind, "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": [{kk: vv for kk, vv in o.items() if kk not in ("apiVersion", "kind")} if kind != "List" else o for o in its]}, open(path, "w"), indent=4)
kinds = {"pods.json": "PodList", "services.json": "ServiceList", "events.json": "EventList", "deployments.json": "DeploymentList", "replicasets.json": "ReplicaSetList", "daemonsets.json": "DaemonSetList", "nodes.json": "NodeList"}
for (ns, f), its in by.items(): wr(f"{out}/{ns}/{f}", kinds[f], its)
for ns in {n for n, _ in by}:
    for f in ("pods.json", "services.json", "events.json", "deployments.json", "replicasets.json", "daemonsets.json"):
        if not os.path.exists(f"{out}/{ns}/{f}"): wr(f"{out}/{ns}/{f}", kinds[f], [])
    os.makedirs(f"{out}/{ns}", exist_ok=True); wr(f"{out}/{ns}/replication-controllers.json", "ReplicationControllerList", [])
for f, its in top.items(): wr(f"{out}/{f}", kinds.get(f, "List"), its)
