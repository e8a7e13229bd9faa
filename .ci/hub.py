#!/usr/bin/env python3
"""CI's offline stand-in for Docker Hub: stores what is pushed and serves it back to pulls.

CI reaches no registry, yet lessons pull (`docker pull node:18`) and push (`docker push learner/l09-hello:1.0`).
.ci/engine points registry-1.docker.io at this server on this machine (/etc/hosts, and a CA of its own in
/etc/docker/certs.d) and pushes the stand-in images into it. It implements the part of the registry HTTP API v2
that dockerd uses to push and pull, without authentication.

Usage: hub.py STORE_DIR PORT [CERT KEY]   (TLS when a certificate is given)
"""
import hashlib
import json
import os
import re
import ssl
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STORE = sys.argv[1]
PORT = int(sys.argv[2])
LOCK = threading.Lock()
NAME = r"(?P<name>[a-z0-9._/-]+?)"


def path(*parts):
    return os.path.join(STORE, *parts)


class Registry(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("REGISTRY_LOG"):
            sys.stderr.write("registry: " + (fmt % args) + "\n")

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Length", str(len(body)))
        headers.setdefault("Docker-Distribution-API-Version", "registry/2.0")
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def error(self, status, code, message):
        body = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
        self.reply(status, body, {"Content-Type": "application/json"})

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def route(self):
        p = self.path.split("?")[0]
        query = dict(q.split("=", 1) for q in self.path.partition("?")[2].split("&") if "=" in q)
        if p in ("/v2", "/v2/"):
            return self.reply(200, b"{}", {"Content-Type": "application/json"})
        m = re.fullmatch(r"/v2/" + NAME + r"/blobs/uploads/(?P<id>[^/]*)", p)
        if m:
            return self.upload(m["name"], m["id"], query)
        m = re.fullmatch(r"/v2/" + NAME + r"/blobs/(?P<digest>sha256:[0-9a-f]{64})", p)
        if m:
            return self.blob(m["digest"])
        m = re.fullmatch(r"/v2/" + NAME + r"/manifests/(?P<ref>[^/]+)", p)
        if m:
            return self.manifest(m["name"], m["ref"])
        self.error(404, "NAME_UNKNOWN", "unknown path " + p)

    def blob(self, digest):
        f = path("blobs", digest)
        if not os.path.exists(f):
            return self.error(404, "BLOB_UNKNOWN", "blob unknown")
        with open(f, "rb") as fh:
            data = fh.read()
        self.reply(200, data, {"Content-Type": "application/octet-stream", "Docker-Content-Digest": digest,
                               "Content-Length": str(len(data))})

    def upload(self, name, upload_id, query):
        if self.command == "POST":
            upload_id = uuid.uuid4().hex
            open(path("uploads", upload_id), "wb").close()
            return self.reply(202, b"", {"Location": f"/v2/{name}/blobs/uploads/{upload_id}", "Range": "0-0",
                                         "Docker-Upload-UUID": upload_id})
        f = path("uploads", upload_id)
        if not os.path.exists(f):
            return self.error(404, "BLOB_UPLOAD_UNKNOWN", "upload unknown")
        data = self.body()
        with open(f, "ab") as fh:
            fh.write(data)
        size = os.path.getsize(f)
        if self.command == "PATCH":
            return self.reply(202, b"", {"Location": f"/v2/{name}/blobs/uploads/{upload_id}",
                                         "Range": f"0-{max(size - 1, 0)}", "Docker-Upload-UUID": upload_id})
        if self.command == "PUT":
            digest = query.get("digest", "").replace("%3A", ":").replace("%3a", ":")
            with open(f, "rb") as fh:
                actual = "sha256:" + hashlib.sha256(fh.read()).hexdigest()
            if actual != digest:
                return self.error(400, "DIGEST_INVALID", f"expected {digest}, got {actual}")
            os.replace(f, path("blobs", digest))
            return self.reply(201, b"", {"Location": f"/v2/{name}/blobs/{digest}", "Docker-Content-Digest": digest})
        self.error(405, "UNSUPPORTED", self.command)

    def manifest(self, name, ref):
        d = path("manifests", name)
        if self.command == "PUT":
            data = self.body()
            digest = "sha256:" + hashlib.sha256(data).hexdigest()
            kind = self.headers.get("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
            with LOCK:
                os.makedirs(d, exist_ok=True)
                for r in {ref, digest}:
                    with open(os.path.join(d, r.replace(":", "_")), "wb") as fh:
                        fh.write(kind.encode() + b"\n" + data)
            return self.reply(201, b"", {"Location": f"/v2/{name}/manifests/{digest}", "Docker-Content-Digest": digest})
        f = os.path.join(d, ref.replace(":", "_"))
        if not os.path.exists(f):
            return self.error(404, "MANIFEST_UNKNOWN", f"manifest unknown: {name}:{ref}")
        with open(f, "rb") as fh:
            kind, _, data = fh.read().partition(b"\n")
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        self.reply(200, data, {"Content-Type": kind.decode(), "Docker-Content-Digest": digest})

    do_GET = do_HEAD = do_POST = do_PATCH = do_PUT = route


def main():
    for sub in ("blobs", "uploads", "manifests"):
        os.makedirs(path(sub), exist_ok=True)
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Registry)
    if len(sys.argv) > 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
