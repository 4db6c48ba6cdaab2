"""Which address a request comes from, for the sign-in throttle (issue 8 item 9).

``X-Forwarded-For`` and ``Forwarded`` (RFC 7239) are written by whoever sends the request, so
they are believed only when the peer that connected is a configured proxy
(``FIELDSYNC_TRUSTED_PROXIES``: addresses or networks, comma-separated; default none). Then the
forwarded chain is read from the right, skipping trusted proxies, and the first address that is
not one is the client. Without trusted proxies the peer's own address is the client, whatever
the headers say: a random ``X-Forwarded-For`` per attempt no longer escapes the throttle.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping

__all__ = ["TrustedProxies", "client_address", "request_address"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_FOR = re.compile(r'(?:^|;)\s*for\s*=\s*("?)([^";,]*)\1', re.IGNORECASE)


class TrustedProxies:
    """A set of proxy addresses/networks; ``parse("10.0.0.1, 192.168.0.0/16")``. Raises
    ValueError naming the entry that is not an address or network."""

    def __init__(self, networks: Iterable[_Network] = ()):
        self.networks = tuple(networks)

    @classmethod
    def parse(cls, text: str | None) -> TrustedProxies:
        networks = []
        for entry in (text or "").split(","):
            if entry.strip():
                try:
                    networks.append(ipaddress.ip_network(entry.strip(), strict=False))
                except ValueError as exc:
                    raise ValueError(f"FIELDSYNC_TRUSTED_PROXIES: {entry.strip()!r} is not an address or "
                                     "network (write e.g. 10.0.0.1 or 10.0.0.0/8)") from exc
        return cls(networks)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address: str | None) -> bool:
        ip = _ip(address)
        return ip is not None and any(ip in network for network in self.networks)


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):  # Forwarded: for="[2001:db8::1]:4711"
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 192.0.2.1:4711
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _forwarded_chain(headers: Mapping[str, str]) -> list[str]:
    """Client first, nearest proxy last, from ``Forwarded`` if present, else ``X-Forwarded-For``."""
    forwarded = headers.get("forwarded")
    if forwarded:
        return [match.group(2) for element in forwarded.split(",") for match in [_FOR.search(element)] if match]
    return [part.strip() for part in headers.get("x-forwarded-for", "").split(",") if part.strip()]


def client_address(peer: str | None, headers: Mapping[str, str], trusted: TrustedProxies) -> str | None:
    """The client's address: ``peer`` unless it is a trusted proxy, then the rightmost forwarded
    address that is not a trusted proxy (an unreadable entry such as ``unknown`` stops the walk
    at the last proxy, which is then counted as the client)."""
    if not trusted.trusts(peer):
        return peer
    client = peer
    for hop in reversed(_forwarded_chain(headers)):
        ip = _ip(hop)
        if ip is None:
            break
        client = str(ip)
        if not trusted.trusts(client):
            break
    return client


def request_address(request) -> str | None:
    """``client_address`` of a Starlette request, with the app's ``state.trusted_proxies``."""
    trusted = getattr(request.app.state, "trusted_proxies", None) or TrustedProxies()
    return client_address(request.client.host if request.client else None, request.headers, trusted)
