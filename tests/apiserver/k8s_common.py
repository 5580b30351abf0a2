"""What the test API server's modules (server.py, proxy_routes.py,
pod_life.py) and the CONNECT proxy (connect_proxy.py) share: the Status
object of an error answer, and serving on a port announced in a file.
Python 3 standard library only.
"""
import os


def status(code, reason, message, details=None):
    """A failed request's body, as kube-apiserver sends it: a v1 Status
    (metav1.Status) with status Failure, REASON (StatusReason) and CODE."""
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
         "message": message, "reason": reason, "code": code}
    if details:
        s["details"] = details
    return s


def serve(srv, port_file):
    """Writes srv's port to port_file (atomically: a reader polling for the
    file never sees it half written), then serves until interrupted."""
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
