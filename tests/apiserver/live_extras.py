"""Additions to the test API server (server.py) for the live tests of
tests/run-live.sh: basic authentication, impersonation logging, an old
cluster (legacy API versions only), sinceSeconds on pods/log.

Python 3 standard library only. server.py calls these from small hooks.
"""
import base64
import calendar
import re
import time

# kinds whose v1 an old cluster does not serve when its objects are all legacy
LEGACY_KINDS = {"Ingress", "IngressClass", "EndpointSlice"}


def basic_auth(header, expected):
    """'basic' when the Basic credentials equal USER:PASSWORD, else 'badbasic'."""
    try:
        got = base64.b64decode(header[6:].strip(), validate=True).decode()
    except Exception:
        return "badbasic"
    return "basic" if expected and got == expected else "badbasic"


def impersonation(headers):
    """The Impersonate-* headers as ' as=USER groups=A,B uid=U' (names and
    values of users, groups and uids: never a credential), '' when none."""
    user = headers.get("Impersonate-User")
    groups = headers.get_all("Impersonate-Group") or []
    uid = headers.get("Impersonate-Uid")
    out = ""
    if user is not None:
        out += " as=%s" % user
    if groups:
        out += " groups=%s" % ",".join(groups)
    if uid is not None:
        out += " uid=%s" % uid
    return out


def old_cluster_hides(store, kind, gv):
    """An old cluster: a kind whose objects are all legacy is served only at
    the versions its objects have (Ingress extensions/v1beta1 alone: 1.13)."""
    if kind not in LEGACY_KINDS:
        return False
    versions = store.gv.get(kind, set())
    return bool(versions) and not any(v.endswith("/v1") for v in versions) and \
        gv not in versions


NGINX_TIME = re.compile(rb"\[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2}) ([+-]\d{4})\]")
ISO_TIME = re.compile(rb"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z")
KLOG_TIME = re.compile(rb"^[IWEF](\d{2})(\d{2}) (\d{2}:\d{2}:\d{2})")


def line_time(line, now):
    """Seconds since the epoch of a log line's own timestamp (nginx access
    log, RFC 3339 prefix, klog), or None when it carries none."""
    m = NGINX_TIME.search(line)
    if m:
        t = calendar.timegm(time.strptime(m.group(1).decode(), "%d/%b/%Y:%H:%M:%S"))
        off = int(m.group(2)[1:3]) * 3600 + int(m.group(2)[3:5]) * 60
        return t - off if m.group(2)[:1] == b"+" else t + off
    m = ISO_TIME.match(line)
    if m:
        return calendar.timegm(time.strptime(m.group(1).decode(), "%Y-%m-%dT%H:%M:%S"))
    m = KLOG_TIME.match(line)
    if m and now is not None:
        year = time.gmtime(now).tm_year
        return calendar.timegm(time.strptime("%d-%s-%s %s" % (
            year, m.group(1).decode(), m.group(2).decode(), m.group(3).decode()),
            "%Y-%m-%d %H:%M:%S"))
    return None


def since_filter(lines, q, now):
    """sinceSeconds: the kubelet keeps the lines written in the last N
    seconds by the container runtime's timestamp. The test server has no
    runtime timestamps, so it reads each line's own: lines older than
    now - N go; a line without a timestamp goes with the line before it
    (an error's continuation), and is kept when no timestamp came yet."""
    since = q.get("sinceSeconds")
    if not since:
        return lines
    now = now if now is not None else time.time()
    cut = now - int(since)
    out, keep = [], True
    for ln in lines:
        t = line_time(ln, now)
        if t is not None:
            keep = t >= cut
        if keep:
            out.append(ln)
    return out
