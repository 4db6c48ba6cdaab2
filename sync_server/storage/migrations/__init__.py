"""Alembic owns the schema: ``upgrade(url)`` brings a database to the newest revision (run by
``open_store`` at start-up and by ``fieldsync-server db upgrade``); ``current(url)`` names its
revision (``db current``).

A database made before Alembic (it has the old ``_migrations`` table and no
``alembic_version``) is recognised: the legacy migrations it misses are applied, it is
stamped at ``0001_baseline`` (which equals that schema), then upgraded like any other.
Several processes may start at once: on PostgreSQL the whole upgrade runs under a
session-level advisory lock; on SQLite each migration runs in ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from . import legacy

__all__ = ["upgrade", "current", "head_revision", "check_known", "UnknownRevision", "BASELINE", "MIGRATION_LOCK"]

BASELINE = "0001_baseline"
MIGRATION_LOCK = 0x66_73_6D_69_67  # "fsmig": pg_advisory_lock key of a running upgrade


class UnknownRevision(ValueError):
    """The database is at a revision this code does not know: a newer fieldsync upgraded it.
    The message says what to do (run the newer release, or restore a backup)."""


def check_known(revision: str | None) -> None:
    """``UnknownRevision`` unless ``revision`` is None (not under Alembic yet) or one of ours."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    if revision is not None and revision not in {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}:
        raise UnknownRevision(
            f"the database is at revision {revision}, which this fieldsync does not know (its newest is "
            f"{head_revision()}): a newer release upgraded it. Run that release, or restore a backup made "
            "before the upgrade; this one will not change the database.")


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    return ScriptDirectory.from_config(config).get_current_head() or ""


def upgrade(url: str) -> list[str]:
    """Bring the database at ``url`` to the newest revision; return the revisions it passed
    through (empty when it was current). ValueError for an unsupported URL."""
    from ..sql.engine import make_admin_engine

    engine = make_admin_engine(url)
    try:
        with engine.connect() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
                conn.commit()
            try:
                before = MigrationContext.configure(conn).get_current_revision()
                conn.commit()
                check_known(before)
                if before == head_revision():
                    return []
                tables = set(inspect(conn).get_table_names())
                conn.commit()
                if before is None and legacy.LEGACY_TABLE in tables:
                    with conn.begin():
                        legacy.complete(conn)
                    command.stamp(_config(conn), BASELINE)
                    conn.commit()
                command.upgrade(_config(conn), "head")
                conn.commit()
                after = MigrationContext.configure(conn).get_current_revision()
                conn.commit()
                return _between(before, after)
            finally:
                if postgres:
                    conn.rollback()
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                    conn.commit()
    finally:
        engine.dispose()


def current(url: str) -> str | None:
    """The database's revision (None: not under Alembic yet)."""
    from ..sql.engine import make_admin_engine

    engine = make_admin_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def _between(before: str | None, after: str | None) -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    script = ScriptDirectory.from_config(config)
    passed = []
    for revision in script.walk_revisions(base="base", head=after or "head"):
        if revision.revision == before:
            break
        passed.append(revision.revision)
    return list(reversed(passed))
