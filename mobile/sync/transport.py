"""The transport seam (httpx-style): the client asks a Transport; tests may swap it.

``RequestsTransport`` is the real one. Any transport answers ``Response`` or raises
``NetworkError`` when there is no answer at all. A transport may also offer ``stream_lines``
(the bootstrap snapshot, issue 13: a long NDJSON answer read line by line, never held whole);
the client pulls page by page from one that does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from .errors import NetworkError

__all__ = ["Response", "Transport", "RequestsTransport", "STREAM_BLOCK"]

STREAM_BLOCK = 64 * 1024  # bytes read at a time from a streamed answer


@dataclass(frozen=True)
class Response:
    status: int
    body: Any


class Transport(Protocol):
    def request(self, method: str, url: str, *, json: Any = None, params: dict | None = None,
                headers: dict | None = None, timeout: float = 30.0) -> Response: ...


class RequestsTransport:
    """HTTP through one requests.Session (connection reuse between batches)."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def request(self, method: str, url: str, *, json: Any = None, params: dict | None = None,
                headers: dict | None = None, timeout: float = 30.0) -> Response:
        try:
            answer = self.session.request(method, url, json=json, params=params, headers=headers, timeout=timeout)
        except requests.RequestException as exc:
            raise NetworkError(f"The server cannot be reached ({type(exc).__name__}); records stay on this tablet.") from exc
        try:
            body = answer.json()
        except ValueError:
            body = None
        return Response(answer.status_code, body)

    @contextmanager
    def stream_lines(self, url: str, *, params: dict | None = None, headers: dict | None = None,
                     timeout: float = 30.0) -> Iterator[Response]:
        """``GET url`` read as it arrives: a 2xx ``Response`` whose body iterates the answer's
        lines (bytes, without the newline); otherwise the parsed error body. A connection lost
        before the answer or while reading it raises NetworkError."""
        try:
            answer = self.session.get(url, params=params, headers=headers, timeout=timeout, stream=True)
        except requests.RequestException as exc:
            raise NetworkError(f"The server cannot be reached ({type(exc).__name__}); records stay on this tablet.") from exc
        with answer:
            if not 200 <= answer.status_code < 300:
                try:
                    body = answer.json()
                except (ValueError, requests.RequestException):
                    body = None
                yield Response(answer.status_code, body)
                return
            yield Response(answer.status_code, _lines(answer))


def _lines(answer: requests.Response) -> Iterator[bytes]:
    try:
        yield from answer.iter_lines(chunk_size=STREAM_BLOCK)
    except requests.RequestException as exc:
        raise NetworkError(f"The connection broke during the sync ({type(exc).__name__}); nothing was half-saved, "
                           "the next sync starts again.") from exc

    def close(self) -> None:
        self.session.close()
