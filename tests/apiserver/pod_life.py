"""Debug-pod life cycle for the test API server (server.py), for
tests/run-probe-pod.sh: `ingress-doctor probe --from-controller-namespace`.

POST /api/v1/namespaces/NS/pods creates a pod (generateName honoured, 201
with the object). Its life is simulated: Pending, then scheduled on the
snapshot's first node, Running, then Succeeded or Failed, and its log is the
real output of its command (`sh -c SCRIPT`) run on this machine with PATH set
to --pod-path (a directory of busybox applet links), so the script really
probes the loopback backends the scenario's pod IPs point at.
activeDeadlineSeconds is enforced (Failed, DeadlineExceeded). GET of the pod
and of pods/NAME/log serve it; DELETE removes it (killing the command).
GET /__test/probe-pods lists the pods alive (no authentication: a test hook).

Faults (server.py --fault NAME[:ARG]):
  pod-forbid:VERB       403 from RBAC for VERB = create, get, delete or log
  pod-security          enforce PodSecurity "restricted" on create (403 when violated)
  pod-admission         every create is refused by an admission webhook (403)
  pod-pending           never scheduled: PodScheduled False, Unschedulable
  pod-imagepull         scheduled, then ErrImagePull and ImagePullBackOff
  pod-slow:SECONDS      Running for SECONDS before the command starts
  pod-lost-answer       the pod is created, but the POST's answer is cut off
"""
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.parse

from k8s_common import status as _status

LOCK = threading.Lock()
PODS = {}       # (ns, name) -> {"obj": dict, "log": bytearray, "proc": Popen|None, "gone": bool}


def add_args(ap):
    ap.add_argument("--pod-path", default="",
                    help="PATH for the simulated pods' commands (busybox applet links)")


def _fault_arg(h, name):
    for f in h.server.state["faults"]:
        if f["name"] == name and f["count"] != 0:
            return f["res"] or "1"
    return None


def _forbidden(h, verb, ns, what="pods"):
    if _fault_arg(h, "pod-forbid") is None:
        return False
    verbs = [f["res"] for f in h.server.state["faults"] if f["name"] == "pod-forbid"]
    if verb not in verbs:
        return False
    res = "pods/log" if verb == "log" else "pods"
    v = "get" if verb == "log" else verb
    h.send_json(403, _status(403, "Forbidden",
                             '%s is forbidden: User "test" cannot %s resource "%s" in API '
                             'group "" in the namespace "%s"' % (what, v, res, ns),
                             {"kind": "pods"}))
    return True


def _log(h, method, code):
    with open(h.server.opts.log, "a") as f:
        f.write("%s %s %d %s\n" % (method, h.path, code, h.auth))


def handle(h, method, parts, q):
    """Serve a debug-pod request; returns the status code, or None when not ours."""
    if method == "GET" and parts == ["__test", "probe-pods"]:
        with LOCK:
            names = sorted("%s/%s" % k for k, p in PODS.items() if not p["gone"])
        h.send_json(200, {"items": names})
        return 200
    if len(parts) < 5 or parts[:3] != ["api", "v1", "namespaces"] or parts[4] != "pods":
        return None
    ns = parts[3]
    name = parts[5] if len(parts) > 5 else None
    sub = parts[6] if len(parts) > 6 else None
    if method == "GET":
        with LOCK:
            if name is None or (ns, name) not in PODS:
                return None         # the snapshot's pods: server.py serves them
    h.auth = h.auth_kind()
    h.resource_name = "pods/log" if sub == "log" else "pods"
    if h.auth not in ("token", "cert"):
        h.send_json(401, _status(401, "Unauthorized", "Unauthorized"))
        code = 401
    elif method == "POST" and name is None:
        code = _create(h, ns)
    elif method == "GET":
        code = _get(h, ns, name, sub)
    elif method == "DELETE" and name is not None and sub is None:
        code = _delete(h, ns, name)
    else:
        h.send_json(405, _status(405, "MethodNotAllowed", "the server does not allow this "
                                 "method on the requested resource"))
        code = 405
    _log(h, method, code)
    return code


def _restricted_violations(spec):
    v = []
    psc = spec.get("securityContext") or {}
    for c in spec.get("containers") or []:
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            v.append('allowPrivilegeEscalation != false (container "%s" must set '
                     'securityContext.allowPrivilegeEscalation=false)' % c.get("name"))
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            v.append('unrestricted capabilities (container "%s" must set '
                     'securityContext.capabilities.drop=["ALL"])' % c.get("name"))
        if not (sc.get("runAsNonRoot") or psc.get("runAsNonRoot")):
            v.append('runAsNonRoot != true (pod or container "%s" must set '
                     'securityContext.runAsNonRoot=true)' % c.get("name"))
        sp = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        if sp not in ("RuntimeDefault", "Localhost"):
            v.append('seccompProfile (pod or container "%s" must set '
                     'securityContext.seccompProfile.type to "RuntimeDefault" or '
                     '"Localhost")' % c.get("name"))
    return v


def _create(h, ns):
    n = int(h.headers.get("Content-Length") or 0)
    body = h.rfile.read(n) if n else b""
    if _forbidden(h, "create", ns):
        return 403
    try:
        obj = json.loads(body)
    except ValueError:
        h.send_json(400, _status(400, "BadRequest", "the request body is not JSON"))
        return 400
    md = obj.setdefault("metadata", {})
    spec = obj.get("spec") or {}
    if not spec.get("containers"):
        h.send_json(422, _status(422, "Invalid", 'Pod "%s" is invalid: spec.containers: '
                                 'Required value' % md.get("name", "")))
        return 422
    name = md.get("name")
    if not name:
        gen = md.get("generateName", "")
        if not gen:
            h.send_json(422, _status(422, "Invalid", "Pod is invalid: metadata.name: "
                                     "Required value: name or generateName is required"))
            return 422
        name = gen + "".join(random.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
    if _fault_arg(h, "pod-admission") is not None:
        h.send_json(403, _status(403, "Forbidden", 'admission webhook "policy.example.com" '
                                 'denied the request: images must come from '
                                 'registry.example.com'))
        return 403
    if _fault_arg(h, "pod-security") is not None:
        v = _restricted_violations(spec)
        if v:
            h.send_json(403, _status(403, "Forbidden", 'pods "%s" is forbidden: violates '
                                     'PodSecurity "restricted:latest": %s' %
                                     (name, ", ".join(v))))
            return 403
    md["name"] = name
    md["namespace"] = ns
    md["uid"] = "%08x-0000-4000-8000-%012x" % (random.getrandbits(32), random.getrandbits(48))
    md["resourceVersion"] = str(random.randint(2000, 9999))
    md["creationTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    obj["status"] = {"phase": "Pending", "qosClass": "Burstable"}
    with LOCK:
        if (ns, name) in PODS and not PODS[(ns, name)]["gone"]:
            h.send_json(409, _status(409, "AlreadyExists", 'pods "%s" already exists' % name))
            return 409
        PODS[(ns, name)] = {"obj": obj, "log": bytearray(), "proc": None, "gone": False}
        snap = json.loads(json.dumps(obj))
    threading.Thread(target=_life, args=(h.server, ns, name), daemon=True).start()
    if _fault_arg(h, "pod-lost-answer") is not None:
        # stored, but the answer never arrives (a cut connection, a proxy timeout)
        h.close_connection = True
        h.connection.shutdown(2)
        return 0
    h.send_json(201, snap)
    return 201


def _get(h, ns, name, sub):
    if _forbidden(h, "log" if sub == "log" else "get", ns, 'pods "%s"' % name):
        return 403
    with LOCK:
        p = PODS[(ns, name)]
        obj = json.loads(json.dumps(p["obj"]))
        log = bytes(p["log"])
    if sub is None:
        h.send_json(200, obj)
        return 200
    if sub != "log":
        return h.not_found()
    if obj["status"]["phase"] == "Pending":
        h.send_json(400, _status(400, "BadRequest", 'container "probe" in pod "%s" is waiting '
                                 'to start: ContainerCreating' % name))
        return 400
    h.send_body(200, log, "text/plain")
    return 200


def _delete(h, ns, name):
    if _forbidden(h, "delete", ns, 'pods "%s"' % name):
        return 403
    with LOCK:
        p = PODS.get((ns, name))
        if not p or p["gone"]:
            p = None
        else:
            p["gone"] = True
            obj = json.loads(json.dumps(p["obj"]))
            proc = p["proc"]
    if p is None:
        h.send_json(404, _status(404, "NotFound", 'pods "%s" not found' % name,
                                 {"name": name, "kind": "pods"}))
        return 404
    if proc and proc.poll() is None:
        _kill(proc)
    obj["metadata"]["deletionTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    obj["metadata"]["deletionGracePeriodSeconds"] = 0
    h.send_json(200, obj)
    return 200


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def _set(ns, name, fn):
    """Apply fn to the pod's object under the lock; False once the pod is gone."""
    with LOCK:
        p = PODS.get((ns, name))
        if not p or p["gone"]:
            return False
        fn(p)
        return True


def _sleep(ns, name, s):
    end = time.time() + s
    while time.time() < end:
        with LOCK:
            if PODS[(ns, name)]["gone"]:
                return False
        time.sleep(0.05)
    return True


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _life(srv, ns, name):
    faults = {f["name"]: (f["res"] or "1") for f in srv.state["faults"]}
    if not _sleep(ns, name, 0.2):
        return
    if "pod-pending" in faults:
        msg = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are " \
              "available: 3 No preemption victims found for incoming pod."
        _set(ns, name, lambda p: p["obj"]["status"].update({"conditions": [
            {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
             "message": msg, "lastTransitionTime": _now()}]}))
        return
    nodes = [n["metadata"]["name"] for n in srv.store.objs.get("Node", [])]
    node = nodes[0] if nodes else "node-1"

    def schedule(p):
        p["obj"].setdefault("spec", {})["nodeName"] = node
        p["obj"]["status"].update({"hostIP": "127.0.0.1", "conditions": [
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": _now()}]})
    _set(ns, name, schedule)
    cname = p_container(ns, name)
    if "pod-imagepull" in faults:
        for reason in ("ErrImagePull", "ImagePullBackOff"):
            if not _sleep(ns, name, 0.3):
                return
            image = image_of(ns, name)
            _set(ns, name, lambda p, r=reason, i=image: p["obj"]["status"].update(
                {"containerStatuses": [{"name": cname, "ready": False, "restartCount": 0,
                                        "image": i, "imageID": "", "state": {"waiting": {
                                            "reason": r, "message": 'Back-off pulling image '
                                            '"%s"' % i if r == "ImagePullBackOff" else
                                            'failed to pull image "%s": not found' % i}}}]}))
        return
    if not _sleep(ns, name, 0.2):
        return
    started = _now()
    _set(ns, name, lambda p: p["obj"]["status"].update({
        "phase": "Running", "podIP": "10.244.0.250", "podIPs": [{"ip": "10.244.0.250"}],
        "startTime": started,
        "containerStatuses": [{"name": cname, "ready": True, "restartCount": 0,
                               "started": True, "state": {"running": {"startedAt": started}}}]}))
    t0 = time.time()
    with LOCK:
        spec = PODS[(ns, name)]["obj"].get("spec", {})
    deadline = spec.get("activeDeadlineSeconds")
    if "pod-slow" in faults:
        if not _sleep(ns, name, float(faults["pod-slow"])):
            return
    cmd = list(spec["containers"][0].get("command") or []) + \
        list(spec["containers"][0].get("args") or [])
    if cmd and not os.path.isabs(cmd[0]) and srv.opts.pod_path:
        cmd[0] = os.path.join(srv.opts.pod_path, cmd[0])
    env = {"PATH": srv.opts.pod_path or "/usr/bin:/bin", "HOME": "/"}
    with LOCK:
        p = PODS[(ns, name)]
        if p["gone"]:
            return
        try:
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError as e:
            p["log"] += ("exec %s: %s\n" % (cmd[:1], e)).encode()
            proc = None
        p["proc"] = proc
    reason = None
    if proc:
        def reader():
            for line in proc.stdout:
                with LOCK:
                    PODS[(ns, name)]["log"] += line
        rt = threading.Thread(target=reader, daemon=True)
        rt.start()
        while proc.poll() is None:
            if deadline and time.time() - t0 > deadline:
                _kill(proc)
                reason = "DeadlineExceeded"
                break
            time.sleep(0.05)
        proc.wait()
        rt.join(timeout=2)
    rc = proc.returncode if proc else 127
    finished = _now()

    def finish(p):
        st = p["obj"]["status"]
        if reason:
            st.update({"phase": "Failed", "reason": reason,
                       "message": "Pod was active on the node longer than the specified "
                       "deadline"})
        else:
            st["phase"] = "Succeeded" if rc == 0 else "Failed"
        st["containerStatuses"] = [{"name": cname, "ready": False, "restartCount": 0,
                                    "state": {"terminated": {
                                        "exitCode": rc if rc >= 0 else 128 - rc,
                                        "reason": "Completed" if rc == 0 else "Error",
                                        "startedAt": started, "finishedAt": finished}}}]
    _set(ns, name, finish)


def p_container(ns, name):
    with LOCK:
        cs = PODS[(ns, name)]["obj"].get("spec", {}).get("containers") or [{}]
    return cs[0].get("name", "")


def image_of(ns, name):
    with LOCK:
        cs = PODS[(ns, name)]["obj"].get("spec", {}).get("containers") or [{}]
    return cs[0].get("image", "")


def do_method(h, method):
    """server.py's do_POST/do_DELETE: debug pods, else 405 as for a read-only resource."""
    h.resource_name = None
    parts = [p for p in urllib.parse.urlsplit(h.path).path.split("/") if p]
    h.auth = h.auth_kind()
    if handle(h, method, parts, {}) is None:
        n = int(h.headers.get("Content-Length") or 0)
        if n:
            h.rfile.read(n)
        h.send_json(405, _status(405, "MethodNotAllowed", "the server does not allow this "
                                 "method on the requested resource"))
        _log(h, method, 405)
