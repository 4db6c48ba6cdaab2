"""A real HTTP proxy on 127.0.0.1 in front of a live server that answers chosen pushes with a
server error, as a buggy or failing server would (issue 8: "a 5xx is always a bug", and the
tablet must live with one). Everything else is forwarded unchanged to the real server.

``proxy.poison`` holds record ids: a push carrying any of them is answered ``proxy.status``
(500 by default) with the plain-text body Starlette gives an unhandled exception.
``proxy.poison_names``: the same for a record whose customer has one of these names (for a
tablet app in another process). ``proxy.fail_all`` answers every request so (an overloaded or
half-started server). ``proxy.drop_all`` closes every connection without an answer (no
network: the tablet reads 离线). ``proxy.cut_snapshot_at`` (bytes, issue 13): a snapshot
answer (``GET /sync/snapshot``, streamed) is forwarded as it arrives up to that many bytes of
its body, then the connection is closed cleanly — the answer carries no length, so only the
snapshot's end line can tell the tablet it was cut; ``proxy.snapshot_bytes`` the bytes each
snapshot answer had passed on."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

__all__ = ["FaultProxy"]


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.poison: set[str] = set()
        self.poison_names: set[str] = set()
        self.status = 500
        self.fail_all = False
        self.drop_all = False
        self.cut_snapshot_at: int | None = None
        self.snapshot_bytes: list[int] = []
        self.answered: list[tuple[str, int, int]] = []  # (path, status, records in the push)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                if proxy.drop_all:
                    self.close_connection = True  # no answer at all: the client sees the connection drop
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                records = []
                if self.path.startswith("/api/v1/sync/push") and body:
                    records = json.loads(body).get("records") or []
                if proxy.fail_all or any(r.get("id") in proxy.poison
                                         or (r.get("customer") or {}).get("name") in proxy.poison_names
                                         for r in records):
                    self._answer(proxy.status, b"Internal Server Error", "text/plain", len(records))
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                if self.path.startswith("/api/v1/sync/snapshot"):
                    self._stream(headers)
                    return
                answer = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers,
                                          timeout=30)
                self._answer(answer.status_code, answer.content, answer.headers.get("content-type", ""), len(records))

            def _stream(self, headers: dict) -> None:
                """Forward a streamed answer block by block (HTTP/1.0: its end is the connection's
                close), stopping after ``cut_snapshot_at`` bytes."""
                limit = proxy.cut_snapshot_at
                with requests.get(proxy.upstream + self.path, headers=headers, timeout=60, stream=True) as answer:
                    proxy.answered.append((self.path.split("?")[0], answer.status_code, 0))
                    self.send_response(answer.status_code)
                    self.send_header("Content-Type", answer.headers.get("content-type", ""))
                    self.end_headers()
                    sent = 0
                    for block in answer.iter_content(16 * 1024):
                        if limit is not None and sent + len(block) >= limit:
                            self.wfile.write(block[:limit - sent])
                            sent = limit
                            break
                        self.wfile.write(block)
                        sent += len(block)
                proxy.snapshot_bytes.append(sent)
                self.close_connection = True

            def _answer(self, status: int, content: bytes, kind: str, records: int) -> None:
                proxy.answered.append((self.path.split("?")[0], status, records))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
