#!/usr/bin/env python3
"""A tiny HTTP CONNECT proxy for the live tests (proxy-url): tunnels each
CONNECT to its target and logs one line per tunnel to --log:
"CONNECT HOST:PORT" (never a header value: a Proxy-Authorization would be
a credential). Python 3 standard library only.

    connect_proxy.py --log FILE --port-file FILE
"""
import argparse
import select
import socket
import socketserver
import sys
import threading

import k8s_common


class Tunnel(socketserver.StreamRequestHandler):
    rbufsize = 0   # unbuffered: no tunnelled byte is left in a reader's buffer

    def handle(self):
        line = self.rfile.readline(8192).decode("latin-1").strip()
        while True:   # the request's headers, up to the blank line
            h = self.rfile.readline(8192)
            if h in (b"\r\n", b"\n", b""):
                break
        parts = line.split()
        if len(parts) != 3 or parts[0] != "CONNECT" or ":" not in parts[1]:
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, port = parts[1].rsplit(":", 1)
        with self.server.lock, open(self.server.log, "a") as f:
            f.write("CONNECT %s\n" % parts[1])
        try:
            up = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except OSError:
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        down = self.connection
        socks = [down, up]
        try:
            while True:
                r, _, _ = select.select(socks, [], [], 30)
                if not r:
                    break
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is down else down).sendall(data)
        except OSError:
            pass
        finally:
            up.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    opts = ap.parse_args()
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Tunnel)
    srv.daemon_threads = True
    srv.log = opts.log
    srv.lock = threading.Lock()
    return k8s_common.serve(srv, opts.port_file)


if __name__ == "__main__":
    sys.exit(main())
