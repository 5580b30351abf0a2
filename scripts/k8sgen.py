"""k8sgen: builders for realistic, self-consistent Kubernetes objects, and a
YAML emitter that keeps comments. A developer helper used by gen-demo.py and
gen-format-scenarios.py to write examples/demo/ and tests/scenarios/format-*/;
nothing in the build or the test suite runs it (python3 only, no modules
beyond the standard library).

Consistency rules the builders follow:
- every pod has full status (phase, conditions, container statuses, IPs);
- EndpointSlices and Endpoints are derived from Services and pods the way the
  endpoint controllers do it (terminal and unscheduled pods excluded, named
  target ports resolved per pod, ready = pod Ready condition);
- times are given relative to NOW (2026-11-27T10:00:00Z) and all lie before it.
"""
import datetime
import hashlib
import json
import re
import uuid

NOW = datetime.datetime(2026, 11, 27, 10, 0, 0)


def ts(spec):
    """'09:58:10' (today), '-3d 08:00:00', or a full 'YYYY-MM-DDTHH:MM:SS'."""
    if spec is None:
        return None
    m = re.fullmatch(r"-(\d+)d (\d\d):(\d\d):(\d\d)", spec)
    if m:
        d = NOW.replace(hour=int(m[2]), minute=int(m[3]), second=int(m[4])) - \
            datetime.timedelta(days=int(m[1]))
    elif re.fullmatch(r"\d\d:\d\d:\d\d", spec):
        h, mi, s = map(int, spec.split(":"))
        d = NOW.replace(hour=h, minute=mi, second=s)
    else:
        d = datetime.datetime.fromisoformat(spec)
    assert d <= NOW, spec
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def uid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "ingress-doctor-demo/" + "/".join(parts)))


_ALPHA = "bcdfghjklmnpqrstvwxz2456789"


def suffix(seed, n):
    h = hashlib.sha1(seed.encode()).digest()
    return "".join(_ALPHA[b % len(_ALPHA)] for b in h[:n])


# ---------------------------------------------------------------- YAML

_YAML11_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"}


def _scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if re.fullmatch(r"[A-Za-z/][A-Za-z0-9_./=@+-]*", s) and s.lower() not in _YAML11_WORDS:
        return s
    return json.dumps(s)


class Raw:
    """A scalar written verbatim (YAML typing tests: 0x1F90, yes, 010)."""

    def __init__(self, text, value):
        self.text = text
        self.value = value


def _is_scalar(v):
    return not isinstance(v, (dict, list)) or (isinstance(v, (dict, list)) and not v)


def _empty(v):
    return "{}" if isinstance(v, dict) else "[]"


def _lines(v, indent):
    sp = " " * indent
    out = []
    if isinstance(v, dict):
        for k, val in v.items():
            if k.startswith("#"):
                for line in str(val).split("\n"):
                    out.append(sp + "# " + line)
                continue
            key = _scalar(k)
            if isinstance(val, (dict, list)) and not val:
                out.append(f"{sp}{key}: {_empty(val)}")
            elif isinstance(val, dict):
                out.append(f"{sp}{key}:")
                out.extend(_lines(val, indent + 2))
            elif isinstance(val, list):
                out.append(f"{sp}{key}:")
                out.extend(_lines(val, indent))
            else:
                out.append(f"{sp}{key}: {_scalar(val)}")
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, (dict, list)) and item:
                sub = _lines(item, indent + 2)
                for i, line in enumerate(sub):
                    if not line.strip().startswith("#"):
                        sub[i] = sp + "- " + line[indent + 2:]
                        break
                out.extend(sub)
            elif isinstance(item, (dict, list)):
                out.append(f"{sp}- {_empty(item)}")
            else:
                out.append(f"{sp}- {_scalar(item)}")
    return out


def to_yaml(obj):
    return "\n".join(_lines(obj, 0)) + "\n"


def yaml_stream(objs, header=None):
    """Objects as one YAML stream ('---' between documents), header comment first."""
    parts = []
    if header:
        parts.append("".join("# " + l + "\n" if l else "#\n" for l in header.strip("\n").split("\n")))
    for i, o in enumerate(objs):
        if i:
            parts.append("---\n")
        parts.append(to_yaml(o))
    return "".join(parts)


def strip_comments(v):
    """The object without '#' keys and with Raw scalars replaced by their values (for JSON)."""
    if isinstance(v, dict):
        return {k: strip_comments(x) for k, x in v.items() if not k.startswith("#")}
    if isinstance(v, list):
        return [strip_comments(x) for x in v]
    if isinstance(v, Raw):
        return v.value
    return v


# ---------------------------------------------------------------- objects

def meta(name, ns=None, created="-30d 08:00:00", labels=None, annotations=None, kind="", owner=None,
         comment=None):
    m = {}
    if comment:
        m["#"] = comment
    if annotations:
        m["annotations"] = annotations
    m["creationTimestamp"] = ts(created)
    if labels:
        m["labels"] = labels
    m["name"] = name
    if ns:
        m["namespace"] = ns
    if owner:
        m["ownerReferences"] = [owner]
    m["resourceVersion"] = str(int(hashlib.sha1((kind + (ns or "") + name).encode()).hexdigest()[:6], 16))
    m["uid"] = uid(kind, ns or "", name)
    return m


def ownerref(kind, api, name, ns):
    return {"apiVersion": api, "blockOwnerDeletion": True, "controller": True, "kind": kind,
            "name": name, "uid": uid(kind, ns, name)}


def namespace(name, created="-120d 09:00:00", labels=None):
    lab = {"kubernetes.io/metadata.name": name}
    lab.update(labels or {})
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": meta(name, None, created, lab, kind="Namespace"),
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def node(name, ip, cidr, ready=True, pressure=None, heartbeat="09:59:40", version="v1.31.4",
         not_ready_since=None, comment=None, taints=None):
    """pressure: None or 'MemoryPressure' (status True since the given time)."""
    hb = ts(heartbeat)
    conds = []
    for typ, reason_ok, msg_ok in (
            ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available")):
        c = {"lastHeartbeatTime": hb, "lastTransitionTime": ts("-60d 07:12:03"),
             "message": msg_ok, "reason": reason_ok, "status": "False", "type": typ}
        if pressure and pressure[0] == typ:
            c.update(lastTransitionTime=ts(pressure[1]), status="True",
                     reason="KubeletHasInsufficientMemory",
                     message="kubelet has insufficient memory available")
        if not ready:
            c.update(lastTransitionTime=ts(not_ready_since), status="Unknown",
                     reason="NodeStatusUnknown", message="Kubelet stopped posting node status.")
        conds.append(c)
    r = {"lastHeartbeatTime": hb, "lastTransitionTime": ts("-60d 07:12:40"),
         "message": "kubelet is posting ready status", "reason": "KubeletReady",
         "status": "True", "type": "Ready"}
    if not ready:
        r.update(lastTransitionTime=ts(not_ready_since), status="Unknown",
                 reason="NodeStatusUnknown", message="Kubelet stopped posting node status.")
    conds.append(r)
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
              "kubernetes.io/os": "linux"}
    spec = {"podCIDR": cidr, "podCIDRs": [cidr], "providerID": "kubeadm://" + name}
    if taints:
        spec["taints"] = taints
    status = {
        "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
        "allocatable": {"cpu": "4", "ephemeral-storage": "95491281146", "memory": "7901764Ki",
                        "pods": "110"},
        "capacity": {"cpu": "4", "ephemeral-storage": "103608324Ki", "memory": "8004164Ki",
                     "pods": "110"},
        "conditions": conds,
        "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.22",
                     "kernelVersion": "6.1.0-28-amd64", "kubeProxyVersion": version,
                     "kubeletVersion": version, "operatingSystem": "linux",
                     "osImage": "Debian GNU/Linux 12 (bookworm)"},
    }
    m = meta(name, None, "-60d 07:11:52", labels, {"node.alpha.kubernetes.io/ttl": "0"},
             kind="Node", comment=comment)
    return {"apiVersion": "v1", "kind": "Node", "metadata": m, "spec": spec, "status": status}


def http_probe(port, path="/healthz", delay=5, period=10, failure=3, timeout=1, scheme="HTTP"):
    return {"failureThreshold": failure, "httpGet": {"path": path, "port": port, "scheme": scheme},
            "initialDelaySeconds": delay, "periodSeconds": period, "successThreshold": 1,
            "timeoutSeconds": timeout}


def tcp_probe(port, delay=5, period=10, failure=3):
    return {"failureThreshold": failure, "initialDelaySeconds": delay, "periodSeconds": period,
            "successThreshold": 1, "tcpSocket": {"port": port}, "timeoutSeconds": 1}


def container(name, image, ports=(("http", 8080),), readiness="default", liveness="default",
              mem=("128Mi", "256Mi"), cpu="50m", prestop=True, args=None, env=None, comment=None):
    """ports: (name, number) pairs, name may be None. readiness/liveness: dict, None, 'default'."""
    c = {}
    if comment:
        c["#"] = comment
    if args:
        c["args"] = args
    if env:
        c["env"] = env
    c["image"] = image
    c["imagePullPolicy"] = "IfNotPresent"
    if prestop:
        c["lifecycle"] = {"preStop": {"exec": {"command": ["sleep", "5"]}}}
    first = ports[0][0] or ports[0][1] if ports else 8080
    if liveness == "default":
        liveness = http_probe(first, "/healthz", delay=15, period=20)
    if liveness:
        c["livenessProbe"] = liveness
    c["name"] = name
    if ports:
        pl = []
        for pn, num in ports:
            p = {"containerPort": num}
            if pn:
                p["name"] = pn
            p["protocol"] = "TCP"
            pl.append(p)
        c["ports"] = pl
    if readiness == "default":
        readiness = http_probe(first, "/ready")
    if readiness:
        c["readinessProbe"] = readiness
    if mem or cpu:
        res = {}
        if mem:
            res["limits"] = {"memory": mem[1]}
        req = {}
        if cpu:
            req["cpu"] = cpu
        if mem:
            req["memory"] = mem[0]
        res["requests"] = req
        c["resources"] = res
    else:
        c["resources"] = {}
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    return c


def running(started):
    return {"running": {"startedAt": ts(started)}}


def terminated(reason, code, started, finished, message=None):
    t = {"containerID": "containerd://" + hashlib.sha256((reason + started).encode()).hexdigest(),
         "exitCode": code, "finishedAt": ts(finished), "reason": reason, "startedAt": ts(started)}
    if message:
        t["message"] = message
    return {"terminated": t}


def waiting(reason, message=None):
    w = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def cstatus(c, state, ready, restarts=0, last=None, started=None):
    s = {}
    if "running" in state or "terminated" in state:
        s["containerID"] = "containerd://" + hashlib.sha256((c["name"] + str(state)).encode()).hexdigest()
    s["image"] = c["image"]
    s["imageID"] = c["image"].split(":")[0] + "@sha256:" + hashlib.sha256(c["image"].encode()).hexdigest()
    s["lastState"] = last or {}
    s["name"] = c["name"]
    s["ready"] = ready
    s["restartCount"] = restarts
    s["started"] = started if started is not None else ("running" in state)
    s["state"] = state
    return s


def cond(typ, status, when, reason=None, message=None):
    c = {"lastProbeTime": None, "lastTransitionTime": ts(when)}
    if message:
        c["message"] = message
    if reason:
        c["reason"] = reason
    c["status"] = status
    c["type"] = typ
    return c


class Pod:
    """A pod and what the generators need to derive endpoints from it."""

    def __init__(self, obj):
        self.obj = obj

    @property
    def name(self):
        return self.obj["metadata"]["name"]


def pod(ns, name, labels, owner, node_name, ip, containers, statuses, *, created, start=None,
        ready_at=None, not_ready_since=None, phase="Running", host_ip=None, comment=None,
        extra_conditions=None, reason=None, message=None, not_ready_reason="ContainersNotReady",
        grace=30, sa="default", scheduled=True, pending_message=None, qos=None):
    """
    ready_at: Ready condition True since then. not_ready_since: Ready False since then.
    """
    spec = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True}
    if node_name:
        spec["nodeName"] = node_name
    spec.update({"preemptionPolicy": "PreemptLowerPriority", "priority": 0,
                 "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "securityContext": {}, "serviceAccount": sa, "serviceAccountName": sa,
                 "terminationGracePeriodSeconds": grace,
                 "tolerations": [
                     {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                      "operator": "Exists", "tolerationSeconds": 300},
                     {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                      "operator": "Exists", "tolerationSeconds": 300}]})
    conds = []
    if not scheduled:
        conds.append(cond("PodScheduled", "False", created, "Unschedulable", pending_message))
    else:
        st = start or created
        conds.append(cond("PodReadyToStartContainers", "True" if phase == "Running" else "False", st))
        conds.append(cond("Initialized", "True", st))
        if ready_at:
            conds.append(cond("Ready", "True", ready_at))
            conds.append(cond("ContainersReady", "True", ready_at))
        else:
            msg = None
            unready = [s["name"] for s in statuses if not s["ready"]]
            if unready and not_ready_reason == "ContainersNotReady":
                msg = "containers with unready status: [" + " ".join(unready) + "]"
            conds.append(cond("Ready", "False", not_ready_since, not_ready_reason, msg))
            cr_ready = all(s["ready"] for s in statuses) and statuses
            if cr_ready:
                conds.append(cond("ContainersReady", "True", start))
            else:
                conds.append(cond("ContainersReady", "False", not_ready_since,
                                  "ContainersNotReady" if msg else not_ready_reason, msg))
        conds.append(cond("PodScheduled", "True", created))
    if extra_conditions:
        conds = extra_conditions + conds
    status = {"conditions": conds}
    if statuses:
        status["containerStatuses"] = statuses
    if scheduled:
        status["hostIP"] = host_ip
        status["hostIPs"] = [{"ip": host_ip}]
    if message:
        status["message"] = message
    status["phase"] = phase
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    if qos is None:
        mems = [c.get("resources", {}).get("requests", {}).get("memory") for c in containers]
        qos = "Burstable" if any(mems) or any(c.get("resources", {}).get("requests") for c in containers) \
            else "BestEffort"
    status["qosClass"] = qos
    if reason:
        status["reason"] = reason
    if scheduled:
        status["startTime"] = ts(start or created)
    m = meta(name, ns, created, labels, kind="Pod", owner=owner, comment=comment)
    m["generateName"] = name.rsplit("-", 1)[0] + "-"
    o = {"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status}
    return Pod(o)


def deployment(ns, name, labels, template_containers, replicas, ready, created, rs_hash,
               comment=None, strategy=None, annotations=None):
    sel = {"matchLabels": dict(labels)}
    d = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": meta(name, ns, created, dict(labels), {"deployment.kubernetes.io/revision": "3"},
                          kind="Deployment", comment=comment),
         "spec": {"progressDeadlineSeconds": 600, "replicas": replicas, "revisionHistoryLimit": 10,
                  "selector": sel,
                  "strategy": strategy or {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                                           "type": "RollingUpdate"},
                  "template": {"metadata": {"labels": dict(labels)},
                               "spec": {"containers": template_containers,
                                        "restartPolicy": "Always",
                                        "terminationGracePeriodSeconds": 30}}},
         "status": {"availableReplicas": ready, "observedGeneration": 3, "readyReplicas": ready,
                    "replicas": replicas, "updatedReplicas": replicas}}
    if annotations:
        d["spec"]["template"]["metadata"]["annotations"] = annotations
    if ready < replicas:
        d["status"]["unavailableReplicas"] = replicas - ready
    if not ready:
        del d["status"]["readyReplicas"]
        del d["status"]["availableReplicas"]
    rs_name = f"{name}-{rs_hash}"
    rl = dict(labels)
    rl["pod-template-hash"] = rs_hash
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": meta(rs_name, ns, created, rl,
                           {"deployment.kubernetes.io/desired-replicas": str(replicas),
                            "deployment.kubernetes.io/max-replicas": str(replicas + 1),
                            "deployment.kubernetes.io/revision": "3"},
                           kind="ReplicaSet", owner=ownerref("Deployment", "apps/v1", name, ns)),
          "spec": {"replicas": replicas, "selector": {"matchLabels": rl},
                   "template": {"metadata": {"labels": rl},
                                "spec": {"containers": template_containers}}},
          "status": {"availableReplicas": ready, "fullyLabeledReplicas": replicas,
                     "observedGeneration": 3, "readyReplicas": ready, "replicas": replicas}}
    if not ready:
        del rs["status"]["readyReplicas"]
        del rs["status"]["availableReplicas"]
    return d, rs, rl, ownerref("ReplicaSet", "apps/v1", rs_name, ns)


def service(ns, name, ports, selector=None, typ="ClusterIP", cluster_ip="10.96.0.1", comment=None,
            external_name=None, created="-30d 08:00:00", labels=None):
    """ports: dicts {name, port, targetPort, appProtocol}."""
    pl = []
    for p in ports:
        q = {}
        for k in ("appProtocol", "name"):
            if p.get(k) is not None:
                q[k] = p[k]
        if p.get("nodePort"):
            q["nodePort"] = p["nodePort"]
        q["port"] = p["port"]
        q["protocol"] = "TCP"
        if "targetPort" in p:
            q["targetPort"] = p["targetPort"]
        pl.append(q)
    spec = {}
    if typ == "ExternalName":
        spec = {"externalName": external_name, "ports": pl, "sessionAffinity": "None",
                "type": "ExternalName"}
    else:
        spec = {"clusterIP": cluster_ip, "clusterIPs": [cluster_ip], "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": pl}
        if selector:
            spec["selector"] = selector
        spec["sessionAffinity"] = "None"
        spec["type"] = typ
    st = {"loadBalancer": {}}
    if typ == "LoadBalancer":
        st = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10", "ipMode": "VIP"}]}}
        spec["externalTrafficPolicy"] = "Local"
        spec["allocateLoadBalancerNodePorts"] = True
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": meta(name, ns, created, labels, kind="Service", comment=comment),
            "spec": spec, "status": st}


def _labels_match(sel, labels):
    return all(labels.get(k) == v for k, v in sel.items())


def _resolve(sp, pod_obj):
    tp = sp.get("targetPort", sp["port"])
    if isinstance(tp, Raw):
        tp = tp.value
    if isinstance(tp, int):
        return tp
    for c in pod_obj["spec"]["containers"]:
        for p in c.get("ports", []):
            if p.get("name") == tp:
                v = p["containerPort"]
                return v.value if isinstance(v, Raw) else v
    return None


def pod_ready(pod_obj):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod_obj["status"]["conditions"])


def endpoints_for(svc, pods, slice_suffix=None, extra=None, legacy=True, slice_=True, created=None):
    """
    EndpointSlice + Endpoints as the controllers would write them for svc and pods.
    extra: additional endpoint entries [(ip, node, podname, ready)] (stale ones).
    Returns a list of objects.
    """
    ns = svc["metadata"]["namespace"]
    name = svc["metadata"]["name"]
    sel = svc["spec"].get("selector")
    sports = svc["spec"]["ports"]
    entries = []  # (ip, node, podname, poduid, ready, terminating, ports tuple)
    for p in pods:
        o = p.obj
        if o["metadata"]["namespace"] != ns or not _labels_match(sel, o["metadata"].get("labels", {})):
            continue
        if o["status"]["phase"] in ("Failed", "Succeeded") or not o["status"].get("podIP"):
            continue
        ports = []
        for sp in sports:
            num = _resolve(sp, o)
            if num is not None:
                ports.append((sp.get("name"), num, sp.get("appProtocol")))
        if not ports:
            continue
        entries.append((o["status"]["podIP"], o["spec"]["nodeName"], o["metadata"]["name"],
                        o["metadata"]["uid"], pod_ready(o),
                        "deletionTimestamp" in o["metadata"], tuple(ports)))
    for ip, nd, pname, ready in extra or []:
        ports = tuple((sp.get("name"), _resolve(sp, {"spec": {"containers": []}}) or 8080,
                       sp.get("appProtocol")) for sp in sports)
        ports = entries[0][6] if entries else ports
        entries.append((ip, nd, pname, uid("Pod", ns, pname), ready, False, ports))
    entries.sort(key=lambda e: e[2])
    out = []
    created = created or svc["metadata"]["creationTimestamp"].replace("Z", "")
    ports = entries[0][6] if entries else ()

    def port_list(pp, with_app):
        pl = []
        for pn, num, app in pp:
            q = {}
            if app and with_app:
                q["appProtocol"] = app
            q["name"] = pn if pn is not None else ""
            q["port"] = num
            q["protocol"] = "TCP"
            pl.append(q)
        return pl

    if slice_:
        sname = f"{name}-{slice_suffix or suffix('slice' + ns + name, 5)}"
        eps = []
        for ip, nd, pname, puid, ready, term, _ in entries:
            eps.append({"addresses": [ip],
                        "conditions": {"ready": ready and not term, "serving": ready,
                                       "terminating": term},
                        "nodeName": nd,
                        "targetRef": {"kind": "Pod", "name": pname, "namespace": ns, "uid": puid}})
        sl = {"addressType": "IPv4", "apiVersion": "discovery.k8s.io/v1",
              "endpoints": eps if eps else None, "kind": "EndpointSlice",
              "metadata": meta(sname, ns, created,
                               {"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                                "kubernetes.io/service-name": name},
                               {"endpoints.kubernetes.io/last-change-trigger-time": ts("-1d 10:00:00")},
                               kind="EndpointSlice",
                               owner=ownerref("Service", "v1", name, ns)),
              "ports": port_list(ports, True) if ports else None}
        sl["metadata"]["generateName"] = name + "-"
        out.append(sl)
    if legacy:
        ep = {"apiVersion": "v1", "kind": "Endpoints",
              "metadata": meta(name, ns, created, None, kind="Endpoints")}
        if entries:
            sub = {}
            ready = [e for e in entries if e[4] and not e[5]]
            notready = [e for e in entries if not (e[4] and not e[5])]

            def addr(e):
                return {"ip": e[0], "nodeName": e[1],
                        "targetRef": {"kind": "Pod", "name": e[2], "namespace": ns, "uid": e[3]}}
            if ready:
                sub["addresses"] = [addr(e) for e in ready]
            if notready:
                sub["notReadyAddresses"] = [addr(e) for e in notready]
            sub["ports"] = port_list(ports, True)
            ep["subsets"] = [sub]
        out.append(ep)
    return out


def event(ns, involved, reason, message, typ, first, last, count=1, component="kubelet", host=None,
          field_path=None, comment=None):
    """involved: (kind, name, uid or None, apiVersion)."""
    kind, name, iuid, api = involved
    io = {"apiVersion": api, "kind": kind, "name": name}
    if ns and kind != "Node":
        io["namespace"] = ns
    if field_path:
        io["fieldPath"] = field_path
    if iuid:
        io["uid"] = iuid
    ename = f"{name}.{hashlib.sha1((reason + message + first).encode()).hexdigest()[:16]}"
    src = {"component": component}
    if host:
        src["host"] = host
    return {"apiVersion": "v1", "count": count, "eventTime": None, "firstTimestamp": ts(first),
            "involvedObject": io, "kind": "Event", "lastTimestamp": ts(last), "message": message,
            "metadata": meta(ename, ns or "default", first, kind="Event", comment=comment),
            "reason": reason, "reportingComponent": component, "reportingInstance": host or "",
            "source": src, "type": typ}


def ingress(ns, name, rules, class_name="nginx", tls=None, annotations=None, lb=True, comment=None,
            created="-30d 08:00:00", default_backend=None):
    """rules: [(host, [(path, service, port)])], port int -> number, str -> name."""
    def backend(svc, port):
        return {"service": {"name": svc, "port": {"number": port} if isinstance(port, int)
                            else {"name": port}}}
    spec = {}
    if default_backend:
        spec["defaultBackend"] = backend(*default_backend)
    if class_name:
        spec["ingressClassName"] = class_name
    rl = []
    for host, paths in rules:
        r = {}
        if host:
            r["host"] = host
        r["http"] = {"paths": [{"backend": backend(s, p), "path": path, "pathType": "Prefix"}
                               for path, s, p in paths]}
        rl.append(r)
    spec["rules"] = rl
    if tls:
        spec["tls"] = tls
    st = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]} if lb else {}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": meta(name, ns, created, None, annotations, kind="Ingress", comment=comment),
            "spec": spec, "status": st}


def secret_meta(ns, name, typ="kubernetes.io/tls", created="-30d 08:00:00"):
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": meta(name, ns, created, None, kind="Secret",
                             comment="data omitted: ingress-doctor reads Secret metadata only"),
            "type": typ}


def objects_json_list(objs):
    return json.dumps({"apiVersion": "v1", "items": [strip_comments(o) for o in objs], "kind": "List",
                       "metadata": {"resourceVersion": ""}}, indent=4, sort_keys=True) + "\n"
