#!/usr/bin/env python3
"""Small TCP/HTTP backends on loopback addresses for tests/run-probe-pod.sh:
the pods a debug pod probes. Python 3 standard library only.

  backends.py --ready FILE [--cert C --key K] KIND=IP:PORT...

KIND is one of:
  ok        HTTP/1.1 200 to every request
  err       HTTP/1.1 503 to every request
  hang      accepts the connection, never answers
  blackhole never accepts: the listen queue is full, so a connect times out
  reset     accepts, reads the request, then resets the connection (RST)
  tls       TLS only (needs --cert/--key): answers 200 over TLS, closes plain text
(a refused port needs no backend: nothing listens there.)
Writes FILE once every socket listens; runs until killed.
"""
import argparse
import os
import socket
import ssl
import struct
import sys
import threading


def http_answer(conn, code, text):
    body = ("%d %s\n" % (code, text)).encode()
    conn.sendall(b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n" % (code, text.encode(), len(body)) + body)


def read_request(conn):
    data = b""
    conn.settimeout(5)
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536 and data[:1] != b"\x16":
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except (OSError, ssl.SSLError):
        pass
    return data


def serve(kind, sock, ctx):
    held = []
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            continue
        threading.Thread(target=handle, args=(kind, conn, ctx, held), daemon=True).start()


def handle(kind, conn, ctx, held):
    try:
        if kind == "hang":
            held.append(conn)       # keep it open, say nothing
            return
        if kind == "tls":
            try:
                conn = ctx.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                conn.close()
                return
        req = read_request(conn)
        if req[:1] == b"\x16" and kind != "tls":
            # a TLS ClientHello to a plain server: answer as nginx and Go do
            http_answer(conn, 400, "Bad Request")
            conn.close()
            return
        if kind == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            return
        if not req:
            conn.close()
            return
        if kind == "err":
            http_answer(conn, 503, "Service Unavailable")
        else:
            http_answer(conn, 200, "OK")
        conn.close()
    except OSError:
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("spec", nargs="+")
    o = ap.parse_args()
    ctx = None
    if o.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(o.cert, o.key)
        # busybox wget sends no signature_algorithms extension, so SHA-1 is assumed
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    keep = []
    for s in o.spec:
        kind, addr = s.split("=", 1)
        ip, port = addr.rsplit(":", 1)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((ip, int(port)))
        if kind == "blackhole":
            # a full accept queue: the kernel drops further SYNs, connects time out
            sock.listen(0)
            for _ in range(3):
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                c.setblocking(False)
                try:
                    c.connect((ip, int(port)))
                except BlockingIOError:
                    pass
                keep.append(c)
            keep.append(sock)
            continue
        sock.listen(64)
        threading.Thread(target=serve, args=(kind, sock, ctx), daemon=True).start()
        keep.append(sock)
    with open(o.ready + ".tmp", "w") as f:
        f.write("ready\n")
    os.rename(o.ready + ".tmp", o.ready)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
