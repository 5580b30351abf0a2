#!/usr/bin/env python3
"""Test Kubernetes API server: serves a set of objects over HTTPS on loopback
the way kube-apiserver does, for the live-source tests (tests/run-live.sh).

Python 3 standard library only. Objects come from a JSON-lines file written by
tests/apiserver/dump_objects (the project's own snapshot reader), so the live
and the offline diagnosis see exactly the same objects.

Serves: /version, /api, /api/v1, /apis, /apis/<group>/<version> (legacy, non
aggregated discovery), list (namespaced and all namespaces) and get of every
kind present, labelSelector (=, ==, !=, in, notin, exists, !exists),
fieldSelector (metadata.name/namespace; pods spec.nodeName, status.phase,
status.podIP, spec.restartPolicy, spec.schedulerName, spec.serviceAccountName,
spec.hostNetwork; events involvedObject.*, reason, type, source,
reportingComponent; others -> 400 "field label not supported"), limit and
continue (opaque token, 410 Expired on demand), pods/<name>/log (tailLines,
container; numbered lines, or the file given with --pod-log NS/POD=FILE, whose
sinceSeconds goes by the lines' own timestamps: live_extras.py), Status objects
for errors, PartialObjectMetadataList on request, bearer-token, client-certificate
and (--basic USER:PASSWORD) basic authentication. --old-cluster: a kind whose
objects are all legacy (Ingress extensions/v1beta1, ...) answers 404 at v1.

A kind that the snapshot neither holds nor proves collected (an empty typed
list) answers 404, as a resource the cluster does not serve: the offline
reader treats it as absent, so must the live one.

Faults (--fault, repeatable), each "NAME[:RESOURCE][:COUNT]":
  forbid:RES        403 on every request for RES (pods/log: the log subresource;
                    apis: the /apis discovery)
  unauth-once       the first authenticated request gets 401
  unauth            every request gets 401
  429:RES:N         N times 429 with Retry-After: 1
  500:RES:N         N times 500 (Status InternalError)
  slow:SECONDS      every answer waits SECONDS
  cut:RES:N         N times the connection is closed with no answer
  truncate:RES:N    N times the body is cut in half (Content-Length kept)
  gone:RES:N        N times a continue token answers 410 Expired
  ignore-pmd        answer PartialObjectMetadataList requests with full objects
--wrong-cert serves a certificate from another CA.

The Date: header is the snapshot's time (the "__now" line of the objects file,
as the model computes it), as if the cluster were frozen when it was taken.

Writes one line per request to --log: "METHOD PATH STATUS AUTH" where AUTH is
"token", "cert", "basic" or "none" (never the credential itself), then the
Impersonate-* headers as " as=USER groups=A,B uid=U" when sent.
"""
import argparse
import base64
import calendar
import email.utils
import json
import os
import re
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import k8s_common  # noqa: E402  (Status objects, the port file)
from k8s_common import status  # noqa: E402
import live_extras  # noqa: E402  (basic auth, impersonation, old cluster, sinceSeconds)
import proxy_routes  # noqa: E402  (pods/proxy, services/proxy: PR1)
import pod_life  # noqa: E402  (debug pod create/get/log/delete: PR2)

# resource name, kind, group, version, namespaced
RESOURCES = [
    ("pods", "Pod", "", "v1", True),
    ("services", "Service", "", "v1", True),
    ("endpoints", "Endpoints", "", "v1", True),
    ("events", "Event", "", "v1", True),
    ("configmaps", "ConfigMap", "", "v1", True),
    ("secrets", "Secret", "", "v1", True),
    ("nodes", "Node", "", "v1", False),
    ("namespaces", "Namespace", "", "v1", False),
    ("ingresses", "Ingress", "networking.k8s.io", "v1", True),
    ("ingressclasses", "IngressClass", "networking.k8s.io", "v1", False),
    ("networkpolicies", "NetworkPolicy", "networking.k8s.io", "v1", True),
    ("endpointslices", "EndpointSlice", "discovery.k8s.io", "v1", True),
    ("deployments", "Deployment", "apps", "v1", True),
    ("statefulsets", "StatefulSet", "apps", "v1", True),
    ("daemonsets", "DaemonSet", "apps", "v1", True),
    ("replicasets", "ReplicaSet", "apps", "v1", True),
]
BY_KIND = {r[1]: r for r in RESOURCES}
# kubectl's short names (`kubectl get svc,ep,ing`), as kube-apiserver's discovery gives them
SHORT_NAMES = {"pods": ["po"], "services": ["svc"], "endpoints": ["ep"], "events": ["ev"],
               "configmaps": ["cm"], "nodes": ["no"], "namespaces": ["ns"],
               "ingresses": ["ing"], "networkpolicies": ["netpol"], "deployments": ["deploy"],
               "statefulsets": ["sts"], "daemonsets": ["ds"], "replicasets": ["rs"]}
LEGACY = {("Ingress", "extensions/v1beta1"), ("Ingress", "networking.k8s.io/v1beta1"),
          ("EndpointSlice", "discovery.k8s.io/v1beta1")}

POD_FIELDS = {
    "spec.nodeName": lambda o: o.get("spec", {}).get("nodeName", ""),
    "spec.host": lambda o: o.get("spec", {}).get("nodeName", ""),
    "spec.restartPolicy": lambda o: o.get("spec", {}).get("restartPolicy", ""),
    "spec.schedulerName": lambda o: o.get("spec", {}).get("schedulerName", ""),
    "spec.serviceAccountName": lambda o: o.get("spec", {}).get("serviceAccountName", ""),
    "spec.hostNetwork": lambda o: str(bool(o.get("spec", {}).get("hostNetwork", False))).lower(),
    "status.phase": lambda o: o.get("status", {}).get("phase", ""),
    "status.podIP": lambda o: o.get("status", {}).get("podIP", ""),
    "status.nominatedNodeName": lambda o: o.get("status", {}).get("nominatedNodeName", ""),
}
EVENT_FIELDS = {
    "involvedObject.%s" % k: (lambda k: lambda o: str(o.get("involvedObject", {}).get(k, "")))(k)
    for k in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")
}
EVENT_FIELDS.update({
    "reason": lambda o: o.get("reason", ""),
    "type": lambda o: o.get("type", ""),
    "source": lambda o: o.get("source", {}).get("component", ""),
    "reportingComponent": lambda o: o.get("reportingComponent", ""),
})
EXTRA_FIELDS = {"Pod": POD_FIELDS, "Event": EVENT_FIELDS,
                "Service": {"spec.clusterIP": lambda o: o.get("spec", {}).get("clusterIP", ""),
                            "spec.type": lambda o: o.get("spec", {}).get("type", "")},
                "Secret": {"type": lambda o: o.get("type", "")},
                "Node": {"spec.unschedulable":
                         lambda o: str(bool(o.get("spec", {}).get("unschedulable", False))).lower()},
                "Namespace": {"status.phase": lambda o: o.get("status", {}).get("phase", "")}}


class SelectorError(Exception):
    pass


def parse_label_selector(s):
    """Kubernetes label selector text -> list of predicates on a labels dict."""
    preds = []
    i = 0
    s = s.strip()
    # split on commas that are not inside parentheses
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    for p in parts:
        p = p.strip()
        m = re.match(r"^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$", p)
        if m:
            k, op, vals = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            if op == "in":
                preds.append(lambda l, k=k, vals=vals: l.get(k) in vals)
            else:
                preds.append(lambda l, k=k, vals=vals: l.get(k) not in vals)
            continue
        m = re.match(r"^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$", p)
        if m:
            k, op, v = m.groups()
            if op == "!=":
                preds.append(lambda l, k=k, v=v: l.get(k) != v)
            else:
                preds.append(lambda l, k=k, v=v: l.get(k) == v)
            continue
        m = re.match(r"^(!?)([\w./-]+)$", p)
        if m:
            neg, k = m.groups()
            preds.append((lambda l, k=k: k not in l) if neg else (lambda l, k=k: k in l))
            continue
        raise SelectorError("unable to parse requirement: %s" % p)
    _ = i
    return preds


def parse_field_selector(s, kind):
    fields = {"metadata.name": lambda o: o.get("metadata", {}).get("name", ""),
              "metadata.namespace": lambda o: o.get("metadata", {}).get("namespace", "")}
    fields.update(EXTRA_FIELDS.get(kind, {}))
    preds = []
    for p in s.split(","):
        p = p.strip()
        if not p:
            continue
        m = re.match(r"^([\w.]+)\s*(==|=|!=)\s*(.*)$", p)
        if not m:
            raise SelectorError("invalid field selector: %s" % p)
        k, op, v = m.groups()
        if k not in fields:
            raise SelectorError('field label not supported: %s' % k)
        f = fields[k]
        if op == "!=":
            preds.append(lambda o, f=f, v=v: f(o) != v)
        else:
            preds.append(lambda o, f=f, v=v: f(o) == v)
    return preds


class Store:
    def __init__(self, path):
        self.objs = {}       # kind -> list of objects (sorted by ns/name)
        self.seen = set()    # kinds proven collected
        self.now = None      # the snapshot's time: the Date: header says it is now
        self.gv = {}         # kind -> set of apiVersions
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                o = json.loads(line)
                if "__now" in o:
                    self.now = calendar.timegm(time.strptime(o["__now"], "%Y-%m-%dT%H:%M:%SZ"))
                    continue
                if "__kind_seen" in o:
                    self.seen.add(o["__kind_seen"])
                    continue
                k = o.get("kind")
                if k not in BY_KIND:
                    continue
                md = o.get("metadata", {})
                key = (md.get("namespace", ""), md.get("name", ""))
                lst = self.objs.setdefault(k, {})
                lst[key] = o   # later wins, as the model
                self.gv.setdefault(k, set()).add(o.get("apiVersion", ""))
                self.seen.add(k)
        for k in self.objs:
            self.objs[k] = [self.objs[k][key] for key in sorted(self.objs[k])]
        self.rv = "1000"

    def version(self):
        best = None
        for n in self.objs.get("Node", []):
            v = n.get("status", {}).get("nodeInfo", {}).get("kubeletVersion", "")
            m = re.match(r"^v(\d+)\.(\d+)\.(\d+)", v)
            if m:
                t = tuple(int(x) for x in m.groups())
                if best is None or t > best[0]:
                    best = (t, v)
        return best[1] if best else None

    def group_versions(self):
        """group/version served: every default one, plus legacy ones objects use."""
        gvs = {}
        for r in RESOURCES:
            if r[2]:
                gvs.setdefault(r[2], [])
                if r[3] not in gvs[r[2]]:
                    gvs[r[2]].append(r[3])
        for k, vs in self.gv.items():
            for av in vs:
                if (k, av) in LEGACY:
                    g, v = av.split("/")
                    gvs.setdefault(g, [])
                    if v not in gvs[g]:
                        gvs[g].append(v)
        return gvs


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "test-apiserver"

    def date_time_string(self, timestamp=None):
        # the cluster's clock is frozen at the snapshot's time (dump_objects' __now)
        now = self.server.store.now
        if timestamp is None and now is not None:
            return email.utils.formatdate(now, usegmt=True)
        return super().date_time_string(timestamp)

    def log_message(self, fmt, *args):
        pass

    # -- helpers --
    def auth_kind(self):
        h = self.headers.get("Authorization", "")
        if h.startswith("Bearer "):
            return "token" if h[7:] == self.server.opts.token else "badtoken"
        if h.startswith("Basic "):
            return live_extras.basic_auth(h, self.server.opts.basic)
        try:
            cert = self.connection.getpeercert()
        except Exception:
            cert = None
        return "cert" if cert else "none"

    def send_json(self, code, obj, ctype="application/json", extra=None):
        body = json.dumps(obj, separators=(",", ":")).encode()
        self.send_body(code, body, ctype, extra)

    def send_body(self, code, body, ctype, extra=None):
        st = self.server.state
        res = self.resource_name or ""
        if self.fault("truncate", res):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        with st["lock"]:
            st["bytes"] += len(body)

    def fault(self, name, res):
        """Consume one count of a fault for res; True when it fires."""
        st = self.server.state
        with st["lock"]:
            for f in st["faults"]:
                if f["name"] == name and (f["res"] in ("", res)) and f["count"] != 0:
                    if f["count"] > 0:
                        f["count"] -= 1
                    return True
        return False

    def has_fault(self, name, res=""):
        return any(f["name"] == name and f["res"] in ("", res) and f["count"] != 0
                   for f in self.server.state["faults"])

    def log_req(self, code):
        with open(self.server.opts.log, "a") as f:
            f.write("GET %s %d %s%s\n" % (self.path, code, self.auth,
                                          live_extras.impersonation(self.headers)))

    # -- request --
    def do_GET(self):
        self.resource_name = None
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        parts = [p for p in u.path.split("/") if p]
        self.auth = self.auth_kind()
        if pod_life.handle(self, "GET", parts, q) is not None:
            return
        code = self.route(parts, q)
        self.log_req(code or 0)

    def do_POST(self):
        pod_life.do_method(self, "POST")

    def do_DELETE(self):
        pod_life.do_method(self, "DELETE")

    def route(self, parts, q):
        opts = self.server.opts
        if opts.slow:
            time.sleep(opts.slow)
        res = self.guess_resource(parts) or ("apis" if parts == ["apis"] else None)
        if res == "pods" and len(parts) >= 3 and parts[-1] == "log" and parts[-3] == "pods":
            res = "pods/log"
        self.resource_name = res
        if self.fault("cut", res or ""):
            self.close_connection = True
            self.connection.shutdown(2) if hasattr(self.connection, "shutdown") else None
            return 0
        if self.auth in ("none", "badtoken", "badbasic") or self.fault("unauth-once", "") or \
                self.has_fault("unauth"):
            self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
            return 401
        if proxy_routes.is_proxy(parts):
            return proxy_routes.serve(self, parts, self.path)
        if res and self.fault("forbid", res):
            grp = ""
            for r in RESOURCES:
                if r[0] == res:
                    grp = r[2]
            ns = ""
            if "namespaces" in parts:
                i = parts.index("namespaces")
                if i + 2 < len(parts):
                    ns = parts[i + 1]
            where = ' in the namespace "%s"' % ns if ns else " at the cluster scope"
            if res == "pods/log":
                # as kube-apiserver words it for a get of a subresource
                self.send_json(403, status(403, "Forbidden",
                                           'pods "%s" is forbidden: User "test" cannot get '
                                           'resource "pods/log" in API group ""%s' %
                                           (parts[-2], where), {"name": parts[-2],
                                                                "kind": "pods"}))
                return 403
            self.send_json(403, status(403, "Forbidden",
                                       '%s is forbidden: User "test" cannot list resource "%s" '
                                       'in API group "%s"%s' % (res, res, grp, where),
                                       {"kind": res}))
            return 403
        if res and self.fault("429", res):
            self.send_json(429, status(429, "TooManyRequests", "too many requests",
                                       {"retryAfterSeconds": 1}), extra={"Retry-After": "1"})
            return 429
        if res and self.fault("500", res):
            self.send_json(500, status(500, "InternalError", "an error on the server"))
            return 500
        try:
            return self.dispatch(parts, q)
        except SelectorError as e:
            self.send_json(400, status(400, "BadRequest", str(e)))
            return 400

    @staticmethod
    def guess_resource(parts):
        names = {r[0] for r in RESOURCES}
        for p in reversed(parts):
            if p in names:
                return p
        return None

    def dispatch(self, parts, q):
        store = self.server.store
        if parts == ["version"]:
            v = store.version()
            if not v:
                self.send_json(404, status(404, "NotFound", "the server could not find the "
                                           "requested resource"))
                return 404
            m = re.match(r"^v(\d+)\.(\d+)", v)
            self.send_json(200, {"major": m.group(1), "minor": m.group(2), "gitVersion": v,
                                 "gitCommit": "0" * 40, "gitTreeState": "clean",
                                 "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.24",
                                 "compiler": "gc", "platform": "linux/amd64"})
            return 200
        if parts == ["api"]:
            self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                 "serverAddressByClientCIDRs": [
                                     {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
            return 200
        if parts == ["apis"]:
            groups = []
            for g, vs in sorted(store.group_versions().items()):
                pv = "v1" if "v1" in vs else vs[0]
                groups.append({"name": g, "versions": [
                    {"groupVersion": "%s/%s" % (g, v), "version": v} for v in vs],
                    "preferredVersion": {"groupVersion": "%s/%s" % (g, pv), "version": pv}})
            self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
            return 200
        if parts == ["api", "v1"] or (len(parts) == 3 and parts[0] == "apis"):
            g, v = ("", "v1") if parts[0] == "api" else (parts[1], parts[2])
            if v not in store.group_versions().get(g, ["v1"]) and g:
                return self.not_found()
            rl = []
            for r in RESOURCES:
                if r[2] == g:
                    res = {"name": r[0], "singularName": r[1].lower(), "namespaced": r[4],
                           "kind": r[1], "verbs": ["get", "list"]}
                    if r[0] in SHORT_NAMES:
                        res["shortNames"] = SHORT_NAMES[r[0]]
                    rl.append(res)
                    if r[0] == "pods":
                        rl.append({"name": "pods/log", "singularName": "", "namespaced": True,
                                   "kind": "Pod", "verbs": ["get"]})
            self.send_json(200, {"kind": "APIResourceList", "apiVersion": "v1",
                                 "groupVersion": "%s/%s" % (g, v) if g else "v1",
                                 "resources": rl})
            return 200
        # /api/v1/... or /apis/g/v/...
        if parts[:2] == ["api", "v1"]:
            gv, rest = "v1", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 4:
            gv, rest = "%s/%s" % (parts[1], parts[2]), parts[3:]
        else:
            return self.not_found()
        ns = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        if not rest:
            return self.not_found()
        res = [r for r in RESOURCES if r[0] == rest[0]]
        if not res:
            return self.not_found()
        r = res[0]
        kind = r[1]
        if kind not in store.seen:
            return self.not_found()
        if self.server.opts.old_cluster and live_extras.old_cluster_hides(store, kind, gv):
            return self.not_found()
        objs = [o for o in store.objs.get(kind, []) if o.get("apiVersion") == gv]
        if ns is not None:
            objs = [o for o in objs if o.get("metadata", {}).get("namespace", "") == ns]
        if len(rest) == 1:
            return self.list(kind, gv, objs, q)
        name = rest[1]
        match = [o for o in objs if o.get("metadata", {}).get("name") == name]
        if not match:
            self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (r[0], name),
                                       {"name": name, "kind": r[0]}))
            return 404
        if len(rest) == 3 and rest[2] == "log" and kind == "Pod":
            return self.pod_log(match[0], q)
        if len(rest) > 2:
            return self.not_found()
        if "as=PartialObjectMetadata;" in self.headers.get("Accept", "") + ";" and \
                not self.has_fault("ignore-pmd"):
            self.send_json(200, {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                 "metadata": match[0].get("metadata", {})},
                           ctype="application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")
            return 200
        self.send_json(200, match[0])
        return 200

    def not_found(self):
        self.send_json(404, status(404, "NotFound",
                                   "the server could not find the requested resource"))
        return 404

    def list(self, kind, gv, objs, q):
        if q.get("labelSelector"):
            preds = parse_label_selector(q["labelSelector"])
            objs = [o for o in objs
                    if all(p(o.get("metadata", {}).get("labels") or {}) for p in preds)]
        if q.get("fieldSelector"):
            preds = parse_field_selector(q["fieldSelector"], kind)
            objs = [o for o in objs if all(p(o) for p in preds)]
        start = 0
        cont = q.get("continue", "")
        if cont:
            if self.fault("gone", self.resource_name or ""):
                self.send_json(410, status(410, "Expired", "The provided continue parameter "
                                           "is too old to display a consistent list result. "
                                           "You can start a new list without the continue "
                                           "parameter."))
                return 410
            try:
                start = int(json.loads(base64.b64decode(cont))["start"])
            except Exception:
                self.send_json(400, status(400, "BadRequest", "continue key is not valid"))
                return 400
        limit = int(q.get("limit") or 0)
        page = objs[start:start + limit] if limit > 0 else objs[start:]
        md = {"resourceVersion": self.server.store.rv}
        if limit > 0 and start + limit < len(objs):
            md["continue"] = base64.b64encode(json.dumps({"start": start + limit}).encode()
                                              ).decode()
            if not q.get("labelSelector") and not q.get("fieldSelector"):
                md["remainingItemCount"] = len(objs) - start - limit
        accept = self.headers.get("Accept", "")
        if "as=PartialObjectMetadataList" in accept and not self.has_fault("ignore-pmd"):
            items = [{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                      "metadata": o.get("metadata", {})} for o in page]
            self.send_json(200, {"kind": "PartialObjectMetadataList",
                                 "apiVersion": "meta.k8s.io/v1", "metadata": md,
                                 "items": items},
                           ctype="application/json;as=PartialObjectMetadataList;"
                                 "g=meta.k8s.io;v=v1")
            return 200
        items = []
        for o in page:
            o = dict(o)
            o.pop("kind", None)
            o.pop("apiVersion", None)
            items.append(o)
        self.send_json(200, {"kind": kind + "List", "apiVersion": gv, "metadata": md,
                             "items": items})
        return 200

    def pod_log(self, pod, q):
        cs = [c.get("name") for c in pod.get("spec", {}).get("containers", [])]
        c = q.get("container") or (cs[0] if len(cs) == 1 else "")
        if not c:
            self.send_json(400, status(400, "BadRequest", "a container name must be specified "
                                       "for pod %s, choose one of: [%s]" %
                                       (pod["metadata"]["name"], " ".join(cs))))
            return 400
        key = "%s/%s" % (pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
        if key in self.server.pod_logs:
            with open(self.server.pod_logs[key], "rb") as f:
                data = f.read()
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            lines = live_extras.since_filter(lines, q, self.server.store.now)
            if q.get("tailLines"):
                lines = lines[-int(q["tailLines"]):]
            self.send_body(200, b"".join(ln + b"\n" for ln in lines), "text/plain")
            return 200
        lines = ["%s %s: log line %d" % (key, c, i) for i in range(1, 21)]
        if q.get("tailLines"):
            lines = lines[-int(q["tailLines"]):]
        self.send_body(200, ("\n".join(lines) + "\n").encode(), "text/plain")
        return 200


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--client-ca", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--slow", type=float, default=0)
    ap.add_argument("--basic", default="", help="USER:PASSWORD accepted as basic auth")
    ap.add_argument("--old-cluster", action="store_true",
                    help="legacy-only kinds are not served at v1 (404)")
    ap.add_argument("--pod-log", action="append", default=[],
                    help="NS/POD=FILE: serve FILE as that pod's log (repeatable)")
    pod_life.add_args(ap)
    opts = ap.parse_args()
    faults = []
    for f in opts.fault:
        p = f.split(":")
        name = p[0]
        if name == "slow":
            opts.slow = float(p[1])
            continue
        res = p[1] if len(p) > 1 else ""
        count = int(p[2]) if len(p) > 2 else (1 if name in ("unauth-once",) else -1)
        faults.append({"name": name, "res": res, "count": count})
    # a backlog like a real server's: the default 5 drops SYNs under parallel clients
    ThreadingHTTPServer.request_queue_size = 128
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(opts.cert, opts.key)
    ctx.load_verify_locations(opts.client_ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.opts = opts
    srv.store = Store(opts.objects)
    srv.pod_logs = dict(a.split("=", 1) for a in opts.pod_log)
    srv.state = {"lock": threading.Lock(), "faults": faults, "bytes": 0}
    return k8s_common.serve(srv, opts.port_file)


if __name__ == "__main__":
    sys.exit(main())
