"""A real HTTP server on 127.0.0.1 for the tests that follow URLs: nothing reaches further."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from collections.abc import Iterator

import pytest

LAST_MODIFIED = "Sun, 29 Nov 2026 12:00:00 GMT"


class Publisher:
    """A department web server on 127.0.0.1: course files by path, with validators, and every misbehaviour."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.etags = True
        self.requests: list[tuple[str, dict[str, str]]] = []
        publisher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Quiet: the tests read `requests` instead."""

            def do_GET(self) -> None:
                publisher.requests.append((self.path, dict(self.headers)))
                publisher.answer(self)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        path = handler.path
        if path == "/moved.yaml":
            handler.send_response(302)
            handler.send_header("Location", "/course.yaml")
            handler.end_headers()
        elif path == "/error.yaml":
            handler.send_error(500, "Internal Server Error")
        elif path == "/silent.yaml":
            time.sleep(3)  # longer than the client waits
        elif path == "/endless.yaml":  # no Content-Length: refused while it streams in
            handler.send_response(200)
            handler.end_headers()
            for _ in range(64):
                handler.wfile.write(b"# padding " * 100 + b"\n")
        elif path == "/declared-huge.yaml":
            handler.send_response(200)
            handler.send_header("Content-Length", str(10**9))
            handler.end_headers()
        elif path in self.files:
            self.serve(handler, self.files[path])
        else:
            handler.send_error(404, "Not Found")

    def serve(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        fresh = handler.headers.get("If-None-Match") == etag if self.etags else False
        fresh = fresh or (not self.etags and handler.headers.get("If-Modified-Since") == self.last_modified(body))
        handler.send_response(304 if fresh else 200)
        if self.etags:
            handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", self.last_modified(body))
        if not fresh:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not fresh:
            handler.wfile.write(body)

    def last_modified(self, body: bytes) -> str:
        return (
            LAST_MODIFIED
            if body == self.files.get("/course.yaml", b"")[: len(body)]
            else "Mon, 30 Nov 2026 08:00:00 GMT"
        )


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    site = Publisher()
    site.thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
