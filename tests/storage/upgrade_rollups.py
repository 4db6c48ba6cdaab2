"""What the upgrade tests of the numbers' migrations (``0027_deal_repeats``, ``0028_fork_tips``)
read: a site's funnel sums as the database holds them before the upgrade (without opening the
store, which would upgrade it), and its kept rollups, to compare with the ones counted afresh."""

from __future__ import annotations

from sqlalchemy import create_engine, select, text

from sync_server.storage.sql.tables import fact_days, funnel_days

__all__ = ["funnel_sums", "kept_rollups"]


def funnel_sums(db_url: str, *columns: str, site_id: str = "s1") -> tuple:
    """``sum(column)`` of ``funnel_days`` for each of ``columns`` (names of its columns), read
    straight from ``db_url``."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            sums = ", ".join(f"sum({column})" for column in columns)
            return tuple(conn.execute(text(f"SELECT {sums} FROM funnel_days WHERE site_id = :site"),  # noqa: S608
                                      {"site": site_id}).one())
    finally:
        engine.dispose()


def kept_rollups(store, site_id: str = "s1") -> list:
    """``fact_days`` and ``funnel_days`` rows of ``site_id``, in key order."""
    with store.engine.connect() as conn:
        return [[tuple(r) for r in conn.execute(select(t).where(t.c.site_id == site_id)
                                                .order_by(*t.primary_key.columns))]
                for t in (fact_days, funnel_days)]
