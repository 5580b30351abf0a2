"""Proxy subresources of the test API server (tests/apiserver/server.py):

  GET /api/v1/namespaces/NS/pods/[SCHEME:]NAME[:PORT]/proxy/PATH
  GET /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/PATH

forwarded for real, as kube-apiserver forwards them, to the pod IP:port or to
a ready endpoint of the Service. The scenarios' pod IPs are loopback
addresses (127.0.0.2, ...) where tests/probe/backends listens; any other
address is refused (400 "address not allowed", kube-apiserver's answer for an
address it will not dial; the real one refuses loopback and accepts only
global unicast addresses, the test one the reverse).

What kube-apiserver does, and this module copies:
  - pods: ResourceLocation (pkg/registry/core/pod/strategy.go): the id is
    SplitSchemeNamePort ("name", "name:port", "scheme:name:port"); no port:
    the first containerPort; the port string is dialled as given.
  - services: ResourceLocation (pkg/registry/core/service/storage/rest.go):
    a port number is mapped to the Service port's name (none: 503 "no
    service port N found for service "x""); the Endpoints object's first
    subset with addresses and a port of that name gives the address (kube
    picks at random); none: 503 "no endpoints available for service "x"".
  - a failed round trip becomes errors.NewServiceUnavailable("error trying
    to reach service: " + err) (apimachinery util/proxy/transport.go): a
    Status 503 ServiceUnavailable, err in Go's net/http words: "dial tcp
    IP:PORT: connect: connection refused", "dial tcp IP:PORT: i/o timeout",
    "read tcp A->B: read: connection reset by peer", "EOF", "malformed HTTP
    response "..."", "http: server gave HTTP response to HTTPS client",
    "tls: first record does not look like a TLS handshake".
  - any answer of the pod is relayed as it came (status, Content-Type, body).
  - 403 (fault forbid:pods/proxy or forbid:services/proxy) as the
    authorizer words it for a get of a subresource.

The dial timeout is kube-apiserver's 30 s unless ID_PROXY_DIAL_TIMEOUT
(seconds) says otherwise.
"""

import errno
import os
import socket
import ssl
import urllib.parse

from k8s_common import status

DIAL_TIMEOUT = float(os.environ.get("ID_PROXY_DIAL_TIMEOUT", "30"))
READ_TIMEOUT = 60.0
BODY_MAX = 1 << 20


class RoundTripError(Exception):
    """A round-trip failure, worded as Go's net/http words it."""


def is_proxy(parts):
    return (len(parts) >= 7 and parts[:3] == ["api", "v1", "namespaces"] and
            parts[4] in ("pods", "services") and parts[6] == "proxy")


def split_scheme_name_port(id_):
    """k8s.io/apimachinery/pkg/util/net SplitSchemeNamePort."""
    p = id_.split(":")
    if len(p) == 1:
        scheme, name, port = "", p[0], ""
    elif len(p) == 2:
        scheme, name, port = "", p[0], p[1]
    elif len(p) == 3:
        scheme, name, port = p
    else:
        return None
    if not name or scheme not in ("", "http", "https"):
        return None
    return scheme, name, port


def go_quote(b):
    """Go's %q of a byte string (enough for status lines)."""
    out = []
    for c in b:
        if c == 0x22:
            out.append('\\"')
        elif c == 0x5c:
            out.append("\\\\")
        elif c == 0x0a:
            out.append("\\n")
        elif c == 0x0d:
            out.append("\\r")
        elif c == 0x09:
            out.append("\\t")
        elif 0x20 <= c < 0x7f:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return '"' + "".join(out) + '"'


def find(store, kind, ns, name):
    for o in store.objs.get(kind, []):
        md = o.get("metadata", {})
        if md.get("namespace", "") == ns and md.get("name") == name:
            return o
    return None


def pod_ip(pod):
    st = pod.get("status", {})
    ips = st.get("podIPs") or []
    if ips and ips[0].get("ip"):
        return ips[0]["ip"]
    return st.get("podIP", "")


def loopback(ip):
    return ip.startswith("127.") and ip.count(".") == 3


def endpoints_of(store, ns, name):
    """The Endpoints object's subsets; built from the EndpointSlices when the
    snapshot holds no Endpoints object (kube's endpoints controller keeps both)."""
    ep = find(store, "Endpoints", ns, name)
    if ep is not None:
        return ep.get("subsets") or []
    subsets = []
    for sl in store.objs.get("EndpointSlice", []):
        md = sl.get("metadata", {})
        if md.get("namespace") != ns or \
                (md.get("labels") or {}).get("kubernetes.io/service-name") != name:
            continue
        addrs = []
        for e in sl.get("endpoints") or []:
            if (e.get("conditions") or {}).get("ready", True) is False:
                continue
            for a in e.get("addresses") or []:
                addrs.append({"ip": a})
        ports = [{"name": p.get("name", ""), "port": p.get("port")}
                 for p in sl.get("ports") or []]
        if addrs:
            subsets.append({"addresses": addrs, "ports": ports})
    return subsets


class Conn:
    """A TCP connection to a backend, optionally TLS (client, no verification,
    as kube-apiserver's proxy transport), with Go's error wording."""

    def __init__(self, ip, port, tls):
        self.ip, self.port = ip, port
        self.where = "%s:%s" % (ip, port)
        try:
            self.sock = socket.create_connection((ip, int(port)), timeout=DIAL_TIMEOUT)
        except ConnectionRefusedError:
            raise RoundTripError("dial tcp %s: connect: connection refused" % self.where)
        except socket.timeout:
            raise RoundTripError("dial tcp %s: i/o timeout" % self.where)
        except OSError as e:
            if e.errno == errno.EHOSTUNREACH:
                raise RoundTripError("dial tcp %s: connect: no route to host" % self.where)
            if e.errno == errno.ENETUNREACH:
                raise RoundTripError("dial tcp %s: connect: network is unreachable" %
                                     self.where)
            raise RoundTripError("dial tcp %s: connect: %s" % (self.where, e.strerror))
        self.sock.settimeout(READ_TIMEOUT)
        self.local = "%s:%d" % self.sock.getsockname()[:2]
        self.tls = None
        if tls:
            self.handshake()

    def reset_text(self):
        return "read tcp %s->%s: read: connection reset by peer" % (self.local, self.where)

    def raw_recv(self, n):
        try:
            return self.sock.recv(n)
        except ConnectionResetError:
            raise RoundTripError(self.reset_text())
        except socket.timeout:
            raise RoundTripError("read tcp %s->%s: i/o timeout" % (self.local, self.where))

    def raw_send(self, b):
        try:
            self.sock.sendall(b)
        except (ConnectionResetError, BrokenPipeError):
            raise RoundTripError("write tcp %s->%s: write: broken pipe" %
                                 (self.local, self.where))

    def handshake(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.inb, self.outb = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.inb, self.outb, server_side=False)
        first = b""
        while True:
            try:
                self.tls.do_handshake()
                self.flush()
                return
            except ssl.SSLWantReadError:
                self.flush()
                data = self.raw_recv(65536)
                if not data:
                    raise RoundTripError("EOF")
                if not first:
                    first = data[:5]
                    # crypto/tls: the record header tells what answered
                    if first.startswith(b"HTTP/"):
                        raise RoundTripError("http: server gave HTTP response to HTTPS client")
                    if first[0] not in (0x14, 0x15, 0x16, 0x17):
                        raise RoundTripError("tls: first record does not look like a TLS "
                                             "handshake")
                self.inb.write(data)
            except ssl.SSLError as e:
                raise RoundTripError("remote error: tls: %s" % (e.reason or "handshake failure")
                                     .lower().replace("_", " "))

    def flush(self):
        data = self.outb.read()
        if data:
            self.raw_send(data)

    def send(self, b):
        if not self.tls:
            return self.raw_send(b)
        self.tls.write(b)
        self.flush()

    def recv(self):
        if not self.tls:
            return self.raw_recv(65536)
        while True:
            try:
                return self.tls.read(65536)
            except ssl.SSLWantReadError:
                data = self.raw_recv(65536)
                if not data:
                    return b""
                self.inb.write(data)
            except ssl.SSLZeroReturnError:
                return b""
            except ssl.SSLError as e:
                raise RoundTripError("local error: tls: %s" % (e.reason or "bad record MAC")
                                     .lower().replace("_", " "))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def round_trip(ip, port, tls, path, query):
    """GET path from ip:port; returns (status, content_type, body)."""
    c = Conn(ip, port, tls)
    try:
        req = "GET %s%s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: kube-apiserver-test\r\n" \
              "Accept: */*\r\nX-Forwarded-For: 127.0.0.1\r\nConnection: close\r\n\r\n" % \
              (path, "?" + query if query else "", ip, port)
        c.send(req.encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = c.recv()
            if not data:
                if not buf:
                    raise RoundTripError("EOF")
                if not buf.startswith(b"HTTP/"):
                    break
                raise RoundTripError("unexpected EOF")
            buf += data
            if len(buf) > 65536:
                break
        line = buf.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
        p = line.split(b" ", 2)
        if not line.startswith(b"HTTP/1.") or len(p) < 2 or not p[1].isdigit():
            raise RoundTripError("malformed HTTP response %s" % go_quote(line[:64]))
        code = int(p[1])
        head, _, body = buf.partition(b"\r\n\r\n")
        headers = {}
        for h in head.split(b"\r\n")[1:]:
            k, _, v = h.partition(b":")
            headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
        clen = headers.get("content-length")
        while (clen is None or len(body) < int(clen)) and len(body) < BODY_MAX:
            try:
                data = c.recv()
            except RoundTripError:
                break
            if not data:
                break
            body += data
        if clen is not None:
            body = body[:int(clen)]
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = dechunk(body)
        return code, headers.get("content-type", ""), body
    finally:
        c.close()


def dechunk(b):
    out = b""
    while b:
        size, _, rest = b.partition(b"\r\n")
        try:
            n = int(size.split(b";")[0], 16)
        except ValueError:
            break
        if n == 0:
            break
        out += rest[:n]
        b = rest[n + 2:]
    return out


def serve(h, parts, raw_path):
    """Answer one proxy request on handler h; returns the status code."""
    store = h.server.store
    ns, res, id_ = parts[3], parts[4], urllib.parse.unquote(parts[5])
    sub = res + "/proxy"
    h.resource_name = sub
    u = urllib.parse.urlsplit(raw_path)
    marker = "/%s/%s/proxy" % (res, parts[5])
    rest = u.path.split(marker, 1)[1] if marker in u.path else "/"
    path = urllib.parse.unquote(rest) or "/"
    sp = split_scheme_name_port(id_)
    if sp is None:
        h.send_json(400, status(400, "BadRequest", 'invalid %s request "%s"' %
                                ("pod" if res == "pods" else "service", id_)))
        return 400
    scheme, name, port = sp
    if h.fault("forbid", sub):
        h.send_json(403, status(403, "Forbidden",
                                '%s "%s" is forbidden: User "test" cannot get resource "%s" '
                                'in API group "" in the namespace "%s"' % (res, name, sub, ns),
                                {"name": name, "kind": res}))
        return 403
    if res == "pods":
        pod = find(store, "Pod", ns, name)
        if pod is None:
            h.send_json(404, status(404, "NotFound", 'pods "%s" not found' % name,
                                    {"name": name, "kind": "pods"}))
            return 404
        if not port:
            for c in pod.get("spec", {}).get("containers", []):
                if c.get("ports"):
                    port = str(c["ports"][0].get("containerPort"))
                    break
        ip = pod_ip(pod)
    else:
        svc = find(store, "Service", ns, name)
        if svc is None:
            h.send_json(404, status(404, "NotFound", 'services "%s" not found' % name,
                                    {"name": name, "kind": "services"}))
            return 404
        pname = port
        if port.isdigit():
            pname = None
            for p in svc.get("spec", {}).get("ports", []):
                if str(p.get("port")) == port:
                    pname = p.get("name", "")
                    break
            if pname is None:
                h.send_json(503, status(503, "ServiceUnavailable",
                                        'no service port %s found for service "%s"' %
                                        (port, name)))
                return 503
        ip = None
        for ss in endpoints_of(store, ns, name):
            if not ss.get("addresses"):
                continue
            for p in ss.get("ports") or []:
                if p.get("name", "") == pname:
                    ip, port = ss["addresses"][0]["ip"], str(p.get("port"))
                    break
            if ip:
                break
        if not ip:
            h.send_json(503, status(503, "ServiceUnavailable",
                                    'no endpoints available for service "%s"' % name))
            return 503
    if not loopback(ip or "") or not port:
        h.send_json(400, status(400, "BadRequest", "address not allowed"))
        return 400
    try:
        code, ctype, body = round_trip(ip, port, scheme == "https", path, u.query)
    except RoundTripError as e:
        h.send_json(503, status(503, "ServiceUnavailable",
                                "error trying to reach service: %s" % e))
        return 503
    try:
        h.send_body(code, body, ctype or "text/plain")
    except (BrokenPipeError, ConnectionResetError):
        pass
    return code
