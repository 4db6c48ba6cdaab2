"""The transport seam (httpx-style): the client asks a Transport; tests may swap it.

``RequestsTransport`` is the real one. Any transport answers ``Response`` or raises
``NetworkError`` when there is no answer at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import requests

from .errors import NetworkError

__all__ = ["Response", "Transport", "RequestsTransport"]


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

    def close(self) -> None:
        self.session.close()
