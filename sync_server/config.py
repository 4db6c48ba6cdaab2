"""The server's settings: one typed object, read from the environment and the command line,
validated once at start.

Every ``FIELDSYNC_*`` value the server reads is a field of ``Settings`` (the table is in
docs/settings.md); no other module of ``sync_server`` reads ``os.environ``
(tests/test_architecture.py checks it). ``load_settings`` turns every problem into one
``SettingsError`` that names the variable or option and says what to write instead.

Worker processes (``serve --workers N``) do not read the environment again: the validated
settings travel to them as JSON in ``FIELDSYNC_WORKER_SETTINGS``, which ``worker_environment``
puts into the environment of the uvicorn program that ``serve`` executes, never into the
calling process's own ``os.environ`` (sync_server/cli.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from .services.client_address import TrustedProxies

__all__ = ["Settings", "SettingsError", "load_settings", "worker_environment", "worker_settings",
           "DEFAULT_DB_URL", "WORKER_SETTINGS_VAR", "THROTTLE_FILE_VAR", "worker_throttle_file",
           "MIN_CONSOLE_SECRET_BYTES"]

DEFAULT_DB_URL = "sqlite:///./fieldsync.db"
WORKER_SETTINGS_VAR = "FIELDSYNC_WORKER_SETTINGS"
THROTTLE_FILE_VAR = "FIELDSYNC_THROTTLE_FILE"
"""Internal: the file ``serve --workers N`` gives its workers to count failed sign-ins in
together (``services.throttle.SharedSignInThrottle``); set by ``serve``, never by a person."""
MIN_CONSOLE_SECRET_BYTES = 16
MAX_RECORDS_LIMIT = 10_000
"""A push is one transaction (protocol.md): more records hold the database's write lock too long."""
MAX_BODY_BYTES_LIMIT = 1024 * 1024 * 1024
"""1 GiB: a request body is read into memory whole before it is parsed."""
_WHY_AT_MOST = {
    "max_records": " (a push is one transaction; more would hold the database's write lock too long)",
    "max_body_bytes": " (1 GiB: a request body is read into memory whole)",
}
DB_SCHEMES = ("sqlite:///", "postgresql://", "postgres://")

# field -> how a person sets it (named in error messages)
_SOURCES = {
    "db_url": "--db / FIELDSYNC_DB",
    "db_pool_size": "FIELDSYNC_DB_POOL_SIZE",
    "workers": "--workers / FIELDSYNC_WORKERS",
    "keep_alive_s": "FIELDSYNC_KEEP_ALIVE_S",
    "max_body_bytes": "FIELDSYNC_MAX_BODY_BYTES",
    "max_records": "FIELDSYNC_MAX_RECORDS",
    "record_budget": "FIELDSYNC_RECORD_BUDGET",
    "trusted_proxies": "FIELDSYNC_TRUSTED_PROXIES",
    "console_secret": "FIELDSYNC_CONSOLE_SECRET",
}


class SettingsError(ValueError):
    """Settings that cannot start the server; the message has one line per problem, each
    naming the option or variable and what to do."""


class Settings(BaseSettings):
    """The server's settings. Fields (environment variable in brackets; docs/settings.md):

    - ``db_url`` [``FIELDSYNC_DB``]: ``sqlite:///path`` or ``postgresql://user:pass@host:port/db``
      (``postgres://`` too).
    - ``db_pool_size`` [``FIELDSYNC_DB_POOL_SIZE``, formerly ``FIELDSYNC_PG_POOL_SIZE``]:
      connections per process in the database pool (PostgreSQL), ≥ 1, default 8.
    - ``workers`` [``FIELDSYNC_WORKERS``]: server processes, ≥ 1; more than one needs
      ``console_secret``.
    - ``keep_alive_s`` [``FIELDSYNC_KEEP_ALIVE_S``]: seconds an idle HTTP connection is kept
      open, 1 to 3600, default 75 — longer than a reverse proxy's idle timeout (nginx 75 s,
      cloud load balancers 60 s), so the server never closes a connection a proxy or a client
      is about to reuse (a reset request; uvicorn's own default is 5 s).
    - ``max_body_bytes`` [``FIELDSYNC_MAX_BODY_BYTES``]: the largest request body accepted,
      in bytes; visit reports carry signature PNGs inline as base64, so the default is
      generous (32 MiB); at most 1 GiB.
    - ``max_records`` [``FIELDSYNC_MAX_RECORDS``]: records per push, default 1000, at most
      10,000 (one push is one transaction).
    - ``record_budget`` [``FIELDSYNC_RECORD_BUDGET``]: phones a non-manager may name in pushed
      records per rolling 24 hours without seeing them before their records are held for a
      manager (issue 14, ``services/record_budget.py``), default 300, 1 to 1,000,000 (raise it
      for a promotion day or a bulk import through a desk's tablet).
    - ``trusted_proxies`` [``FIELDSYNC_TRUSTED_PROXIES``]: addresses/networks of reverse
      proxies whose X-Forwarded-For / Forwarded headers are believed, comma-separated;
      default none (the connecting address is the client; services/client_address.py).
    - ``console_secret`` [``FIELDSYNC_CONSOLE_SECRET``]: the console's cookie-signing key,
      ≥ 16 bytes, the same for every worker; None: a random key per process.

    Construct with ``load_settings`` (clear errors); ``Settings(...)`` raises pydantic's
    ``ValidationError``. Explicit keyword arguments win over the environment. Where ``serve``
    listens (``--host``, ``--port``) is an option only, never read from the environment:
    Kubernetes sets ``<SERVICE>_PORT=tcp://…`` for a service named fieldsync.
    """

    model_config = SettingsConfigDict(env_prefix="FIELDSYNC_", frozen=True, extra="forbid",
                                      populate_by_name=True, env_ignore_empty=True)

    db_url: str = Field(DEFAULT_DB_URL, validation_alias="FIELDSYNC_DB")
    db_pool_size: int = Field(8, validation_alias=AliasChoices("FIELDSYNC_DB_POOL_SIZE",
                                                              "FIELDSYNC_PG_POOL_SIZE"))
    workers: int = 1
    keep_alive_s: int = Field(75, ge=1, le=3600)
    max_body_bytes: int = Field(32 * 1024 * 1024, ge=1, le=MAX_BODY_BYTES_LIMIT)
    max_records: int = Field(1000, ge=1, le=MAX_RECORDS_LIMIT)
    record_budget: int = Field(300, ge=1, le=1_000_000)
    trusted_proxies: str = ""
    console_secret: SecretStr | None = None

    @field_validator("db_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(DB_SCHEMES) or url in DB_SCHEMES:
            raise ValueError(f"{url!r} is not a database fieldsync can open; write sqlite:///path/to/fieldsync.db "
                             "or postgresql://user:password@host:5432/dbname")
        return url

    @field_validator("db_pool_size")
    @classmethod
    def _positive_pool(cls, size: int) -> int:
        if size < 1:
            raise ValueError(f"the pool needs at least 1 connection, not {size}; leave it unset for 8")
        return size

    @field_validator("workers")
    @classmethod
    def _positive_workers(cls, workers: int) -> int:
        if workers < 1:
            raise ValueError(f"must be 1 or more, not {workers}; leave it unset for 1")
        return workers

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, text: str) -> str:
        try:
            TrustedProxies.parse(text)
        except ValueError as exc:  # names the entry that is not an address or network
            raise ValueError(str(exc).removeprefix("FIELDSYNC_TRUSTED_PROXIES: ")) from None
        return ",".join(part.strip() for part in text.split(",") if part.strip())

    @field_validator("console_secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and len(secret.get_secret_value().encode()) < MIN_CONSOLE_SECRET_BYTES:
            raise ValueError(f"must be at least {MIN_CONSOLE_SECRET_BYTES} bytes (a random string such as the "
                             "output of `openssl rand -hex 24`), the same for every worker")
        return secret

    @model_validator(mode="after")
    def _workers_share_a_secret(self) -> Settings:
        if self.workers > 1 and self.console_secret is None:
            # each worker would sign cookies with its own random key: managers signed out at random
            raise ValueError(f"--workers {self.workers} needs FIELDSYNC_CONSOLE_SECRET (at least "
                             f"{MIN_CONSOLE_SECRET_BYTES} bytes, the same for every worker) so the console's "
                             "sessions work on every worker; set it and start again")
        return self

    def console_key(self) -> bytes | None:
        """The console's signing key as bytes, or None when none is configured."""
        return self.console_secret.get_secret_value().encode() if self.console_secret else None

    def trusted_proxy_networks(self) -> TrustedProxies:
        """``trusted_proxies`` parsed (already validated, so this does not raise)."""
        return TrustedProxies.parse(self.trusted_proxies)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the ``FIELDSYNC_*`` environment, with explicit non-None ``overrides``
    (command-line options, by field name) winning. Raises ``SettingsError`` listing every
    problem, each with the option/variable to fix."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def worker_environment(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default: this process's ``os.environ``) plus
    ``FIELDSYNC_WORKER_SETTINGS``: the validated settings as JSON, secret included, for the
    processes of ``serve --workers N``. Neither ``base`` nor ``os.environ`` is changed."""
    base = os.environ if base is None else base
    values = settings.model_dump(mode="json")
    values["console_secret"] = settings.console_secret.get_secret_value() if settings.console_secret else None
    return {**base, WORKER_SETTINGS_VAR: json.dumps(values)}


def worker_throttle_file() -> str | None:
    """The shared sign-in failure file of this worker's server (``THROTTLE_FILE_VAR``); None
    outside ``serve --workers N`` (one process counts in memory)."""
    return os.environ.get(THROTTLE_FILE_VAR) or None


def worker_settings() -> Settings:
    """The settings a worker process was started with (``worker_environment``); outside a
    worker (no ``FIELDSYNC_WORKER_SETTINGS``), the environment's (``load_settings()``).
    Raises ``SettingsError`` when they do not validate."""
    text = os.environ.get(WORKER_SETTINGS_VAR)
    if not text:
        return load_settings()
    try:  # model_validate_json reads only the JSON: the environment is not consulted again
        return Settings.model_validate_json(text)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        field = next((name for name, info in Settings.model_fields.items()
                      if field in (name, info.validation_alias)
                      or (isinstance(info.validation_alias, AliasChoices) and field in info.validation_alias.choices)),
                     field)
        message = str(error["msg"]).removeprefix("Value error, ")
        default = Settings.model_fields[field].default if field in Settings.model_fields else None
        kind, show_value = error["type"], error["type"] != "value_error" and field != "console_secret"
        if kind in ("int_parsing", "int_from_float", "int_type"):  # pydantic's words say what, not what to write
            message, show_value = f"{error['input']!r} is not a whole number; write one such as {default} (the default)", False
        elif kind == "greater_than_equal":
            message = f"must be at least {error['ctx']['ge']}; leave it unset for {default}"
        elif kind == "less_than_equal":
            message = f"must be at most {error['ctx']['le']}{_WHY_AT_MOST.get(field, '')}; leave it unset for {default}"
        if field:
            lines.append(f"{_SOURCES.get(field, field)}: {message}" + (f" (got {error['input']!r})" if show_value else ""))
        else:
            lines.append(message)
    return "invalid settings:\n  " + "\n  ".join(lines)
