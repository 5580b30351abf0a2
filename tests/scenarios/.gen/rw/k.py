# builders for realistic kubectl -o json objects
import json, hashlib, datetime as dt
NOW = dt.datetime(2024, 9, 20, 12, 0, 0, tzinfo=dt.timezone.utc)
def ts(sec_ago): return (NOW - dt.timedelta(seconds=sec_ago)).strftime('%Y-%m-%dT%H:%M:%SZ')
def uid(s): h = hashlib.md5(s.encode()).hexdigest(); return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
def meta(kind, ns, name, labels=None, ann=None, age=86400*10, owners=None, **kw):
    m = {"name": name, "uid": uid(kind+(ns or '')+name), "resourceVersion": "123456", "creationTimestamp": ts(age)}
    if ns is not None: m["namespace"] = ns
    if labels: m["labels"] = labels
    if ann: m["annotations"] = ann
    if owners: m["ownerReferences"] = owners
    m.update(kw)
    return m
def owner(kind, name, api="apps/v1"):
    return [{"apiVersion": api, "kind": kind, "name": name, "uid": uid(kind+name), "controller": True, "blockOwnerDeletion": True}]
def node(name, ip, ready=True, unsched=False, ver="v1.30.4-eks-a737599", extra_cond=None):
    conds = [{"type": t, "status": "False", "reason": "Kubelet" + r, "message": "ok", "lastHeartbeatTime": ts(30), "lastTransitionTime": ts(86400*20)} for t, r in (("MemoryPressure","HasSufficientMemory"),("DiskPressure","HasNoDiskPressure"),("PIDPressure","HasSufficientPID"))]
    conds.append({"type": "Ready", "status": "True" if ready else "Unknown", "reason": "KubeletReady" if ready else "NodeStatusUnknown", "message": "kubelet is posting ready status", "lastHeartbeatTime": ts(30), "lastTransitionTime": ts(86400*20)})
    spec = {"providerID": "aws:///eu-west-1a/i-0" + hashlib.md5(name.encode()).hexdigest()[:16], "podCIDR": "10.244.1.0/24"}
    if unsched:
        spec["unschedulable"] = True
        spec["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ts(3600*5)}]
    return {"apiVersion": "v1", "kind": "Node", "metadata": meta("Node", None, name, labels={"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": "m5.large", "topology.kubernetes.io/zone": "eu-west-1a"}, age=86400*30),
            "spec": spec, "status": {"conditions": conds, "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "allocatable": {"cpu": "1930m", "memory": "7220184Ki", "pods": "29"}, "capacity": {"cpu": "2", "memory": "8047064Ki", "pods": "29"},
            "nodeInfo": {"kubeletVersion": ver, "kubeProxyVersion": ver, "containerRuntimeVersion": "containerd://1.7.11", "osImage": "Amazon Linux 2", "architecture": "amd64", "operatingSystem": "linux"}}}
def probe(port=None, path="/healthz", kind="http", delay=None, period=10, fail=3, scheme="HTTP"):
    p = {"timeoutSeconds": 1, "periodSeconds": period, "successThreshold": 1, "failureThreshold": fail}
    if delay is not None: p["initialDelaySeconds"] = delay
    if kind == "http": p["httpGet"] = {"path": path, "port": port, "scheme": scheme}
    elif kind == "tcp": p["tcpSocket"] = {"port": port}
    elif kind == "exec": p["exec"] = {"command": ["/bin/sh", "-c", "pg_isready"]}
    elif kind == "grpc": p["grpc"] = {"port": port, "service": ""}
    return p
def container(name, image, ports=None, ready=None, live=None, startup=None, res="burstable", args=None, prestop=None, env=None, extra=None):
    c = {"name": name, "image": image, "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
    if args: c["args"] = args
    if env: c["env"] = env
    if ports: c["ports"] = [dict(p, protocol=p.get("protocol", "TCP")) for p in ports]
    if ready: c["readinessProbe"] = ready
    if live: c["livenessProbe"] = live
    if startup: c["startupProbe"] = startup
    if res == "burstable": c["resources"] = {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
    elif res == "none": c["resources"] = {}
    if prestop: c["lifecycle"] = {"preStop": prestop}
    if extra: c.update(extra)
    return c
def running(name, image, ready=True, restarts=0, started=86400*3, last=None, init=False):
    s = {"name": name, "image": image, "imageID": image.split("@")[0] + "@sha256:" + hashlib.sha256(image.encode()).hexdigest(), "containerID": "containerd://" + hashlib.sha256(name.encode()).hexdigest(),
         "ready": ready, "restartCount": restarts, "started": True, "state": {"running": {"startedAt": ts(started)}}, "lastState": {}}
    if last: s["lastState"] = {"terminated": last}
    return s
def terminated(reason, code, started, finished):
    return {"exitCode": code, "reason": reason, "startedAt": ts(started), "finishedAt": ts(finished), "containerID": "containerd://" + hashlib.sha256((reason+str(started)).encode()).hexdigest()}
def pod(ns, name, labels, containers, statuses, node_name, ip, owner_=None, phase="Running", ready=True, init=None, init_statuses=None, host_network=False, age=86400*3, deleted=None, grace=30, ips=None, qos="Burstable", reason=None, message=None, conds=None, sa="default"):
    md = meta("Pod", ns, name, labels=labels, age=age, owners=owner_)
    if deleted is not None:
        md["deletionTimestamp"] = ts(deleted); md["deletionGracePeriodSeconds"] = grace
    spec = {"containers": containers, "restartPolicy": "Always", "terminationGracePeriodSeconds": grace, "dnsPolicy": "ClusterFirst", "serviceAccountName": sa, "serviceAccount": sa, "schedulerName": "default-scheduler", "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority", "priority": 0,
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]}
    if node_name: spec["nodeName"] = node_name
    if init: spec["initContainers"] = init
    if host_network: spec["hostNetwork"] = True; spec["dnsPolicy"] = "ClusterFirstWithHostNet"
    if conds is None:
        rs = "True" if ready else "False"
        conds = [{"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": ts(age-5)}, {"type": "Initialized", "status": "True", "lastTransitionTime": ts(age-5)},
                 {"type": "Ready", "status": rs, "lastTransitionTime": ts(age-20)}, {"type": "ContainersReady", "status": rs, "lastTransitionTime": ts(age-20)}, {"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(age)}]
        if not ready:
            for c in conds[2:4]: c["reason"] = "ContainersNotReady"; c["message"] = "containers with unready status: [app]"
    st = {"phase": phase, "conditions": conds, "qosClass": qos}
    if ip:
        st["podIP"] = ip; st["podIPs"] = [{"ip": i} for i in (ips or [ip])]
        st["hostIP"] = "10.0.1.%d" % (sum(map(ord, node_name or "x")) % 200 + 10); st["hostIPs"] = [{"ip": st["hostIP"]}]
    if phase != "Pending" or statuses: st["startTime"] = ts(age)
    if statuses is not None: st["containerStatuses"] = statuses
    if init_statuses is not None: st["initContainerStatuses"] = init_statuses
    if reason: st["reason"] = reason
    if message: st["message"] = message
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec, "status": st}
def svc(ns, name, selector, ports, typ="ClusterIP", cluster_ip="172.20.0.10", labels=None, headless=False, pnra=False, ext=None, ann=None):
    spec = {"type": typ, "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"}
    if typ == "ExternalName":
        spec = {"type": typ, "externalName": ext, "sessionAffinity": "None"}
    else:
        spec["clusterIP"] = "None" if headless else cluster_ip; spec["clusterIPs"] = [spec["clusterIP"]]
    if selector is not None: spec["selector"] = selector
    if ports is not None: spec["ports"] = ports
    if pnra: spec["publishNotReadyAddresses"] = True
    if typ == "LoadBalancer": spec["externalTrafficPolicy"] = "Local"; spec["allocateLoadBalancerNodePorts"] = True
    st = {"loadBalancer": {}}
    if typ == "LoadBalancer": st = {"loadBalancer": {"ingress": [{"hostname": "a1b2c3-123.eu-west-1.elb.amazonaws.com"}]}}
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta("Service", ns, name, labels=labels, ann=ann), "spec": spec, "status": st}
def sport(port, target=None, name=None, proto="TCP", app=None, node_port=None):
    p = {"port": port, "protocol": proto, "targetPort": target if target is not None else port}
    if name: p["name"] = name
    if app: p["appProtocol"] = app
    if node_port: p["nodePort"] = node_port
    return p
def ep(p, ready=True, serving=None, terminating=None, ip=None):
    md = p["metadata"]
    c = {"ready": ready, "serving": ready if serving is None else serving, "terminating": bool(terminating) if terminating is not None else False}
    return {"addresses": [ip or p["status"]["podIP"]], "conditions": c, "nodeName": p["spec"].get("nodeName"),
            "targetRef": {"kind": "Pod", "namespace": md["namespace"], "name": md["name"], "uid": md["uid"]}, "zone": "eu-west-1a"}
def slice_(ns, svcname, suffix, endpoints, ports, af="IPv4"):
    name = f"{svcname}-{suffix}"
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": af, "endpoints": endpoints, "ports": ports,
            "metadata": meta("EndpointSlice", ns, name, labels={"kubernetes.io/service-name": svcname, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
                             ann={"endpoints.kubernetes.io/last-change-trigger-time": ts(3600)}, owners=[{"apiVersion": "v1", "kind": "Service", "name": svcname, "uid": uid("Service"+ns+svcname), "controller": True, "blockOwnerDeletion": True}], generateName=svcname + "-")}
def eports(*ps):
    return [dict(({"name": n} if n is not None else {"name": ""}), port=port, protocol="TCP") for n, port in ps]
def endpoints(ns, name, ready_pods, notready_pods, ports, ip_of=None):
    def addr(p):
        md = p["metadata"]; return {"ip": p["status"]["podIP"], "nodeName": p["spec"].get("nodeName"), "targetRef": {"kind": "Pod", "namespace": ns, "name": md["name"], "uid": md["uid"]}}
    sub = {"ports": ports}
    if ready_pods: sub["addresses"] = [addr(p) for p in ready_pods]
    if notready_pods: sub["notReadyAddresses"] = [addr(p) for p in notready_pods]
    o = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("Endpoints", ns, name, ann={"endpoints.kubernetes.io/last-change-trigger-time": ts(3600)})}
    if ready_pods or notready_pods: o["subsets"] = [sub]
    return o
def ingress(ns, name, rules=None, cls=None, ann=None, tls=None, default=None, lb="a1b2c3-123.eu-west-1.elb.amazonaws.com"):
    spec = {}
    if cls: spec["ingressClassName"] = cls
    if default: spec["defaultBackend"] = default
    if rules is not None: spec["rules"] = rules
    if tls: spec["tls"] = tls
    st = {"loadBalancer": {"ingress": [{"hostname": lb}]}} if lb else {"loadBalancer": {}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("Ingress", ns, name, ann=ann, generation=1), "spec": spec, "status": st}
def rule(host, *paths):
    r = {"http": {"paths": [{"path": p, "pathType": pt, "backend": b} for p, pt, b in paths]}}
    if host: r["host"] = host
    return r
def be(svcname, port):
    return {"service": {"name": svcname, "port": {"number": port} if isinstance(port, int) else {"name": port}}}
def iclass(name, controller, default=False, params=None):
    md = meta("IngressClass", None, name, labels={"app.kubernetes.io/name": name}, ann={"ingressclass.kubernetes.io/is-default-class": "true"} if default else None)
    spec = {"controller": controller}
    if params: spec["parameters"] = params
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": md, "spec": spec}
def event(ns, kind, name, reason, msg, typ="Warning", count=1, first=60, last=30, component="kubelet", field=None, api="v1", obj_uid=None, host=None):
    ev = {"apiVersion": "v1", "kind": "Event", "metadata": meta("Event", ns, f"{name}.{hashlib.md5((reason+msg+kind).encode()).hexdigest()[:16]}", age=first),
          "involvedObject": {"kind": kind, "namespace": ns, "name": name, "apiVersion": api, "uid": obj_uid or uid(kind+ns+name), "resourceVersion": "1"},
          "reason": reason, "message": msg, "type": typ, "count": count, "firstTimestamp": ts(first), "lastTimestamp": ts(last), "source": {"component": component, **({"host": host} if host else {})},
          "reportingComponent": component, "reportingInstance": host or ""}
    if field: ev["involvedObject"]["fieldPath"] = field
    return ev
def secret_pom(ns, name):
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta("Secret", ns, name)}
def deploy(ns, name, labels, replicas, ready=None):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("Deployment", ns, name, labels=labels, generation=3),
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}, "template": {"metadata": {"labels": labels}, "spec": {"containers": []}}},
            "status": {"replicas": replicas, "readyReplicas": replicas if ready is None else ready, "availableReplicas": replicas if ready is None else ready, "updatedReplicas": replicas, "observedGeneration": 3}}
def lst(items): return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}
def write(path, items):
    import os; os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f: json.dump(lst(items), f, indent=4); f.write("\n")
