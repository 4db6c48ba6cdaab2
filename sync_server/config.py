"""The server's settings: one typed object, read from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Settings", "DEFAULT_DB_URL"]

DEFAULT_DB_URL = "sqlite:///./fieldsync.db"


@dataclass(frozen=True)
class Settings:
    """``db_url``: ``sqlite:///path`` (``postgresql://`` is reserved for the next backend).
    ``max_body_bytes``: the largest push body accepted; visit reports carry signature PNGs
    inline as base64, so the default is generous (32 MiB). ``max_records``: records per push."""

    db_url: str = DEFAULT_DB_URL
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 32 * 1024 * 1024
    max_records: int = 1000
    trusted_proxies: str = ""
    """Addresses/networks of reverse proxies whose X-Forwarded-For / Forwarded headers are
    believed (``FIELDSYNC_TRUSTED_PROXIES``, comma-separated; default none: the connecting
    address is the client). See services/client_address.py."""

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``FIELDSYNC_*`` variables; explicit (non-None) overrides win."""
        env = {
            "db_url": os.environ.get("FIELDSYNC_DB"),
            "max_body_bytes": _int(os.environ.get("FIELDSYNC_MAX_BODY_BYTES")),
            "max_records": _int(os.environ.get("FIELDSYNC_MAX_RECORDS")),
            "trusted_proxies": os.environ.get("FIELDSYNC_TRUSTED_PROXIES"),
        }
        values = {k: v for k, v in env.items() if v is not None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _int(text: str | None) -> int | None:
    return int(text) if text else None
