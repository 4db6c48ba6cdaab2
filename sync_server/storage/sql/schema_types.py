"""The column types and the ``MetaData`` every table of the schema shares (``tables.py``,
``kept_tables.py``): one definition that reads alike on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import JSON, MetaData, Text
from sqlalchemy.dialects import postgresql

__all__ = ["metadata", "Json", "WireJson", "CodePointText"]

# SQL NULL for None (not JSON 'null'): rows written before SQLAlchemy hold NULL there
Json = JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
WireJson = JSON(none_as_null=True).with_variant(postgresql.JSON(none_as_null=True), "postgresql")

CodePointText = Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")
"""Text that orders by code point, as Python sorts it (SQLite's default; PostgreSQL's database
collation may differ): an index on it serves ``ORDER BY`` in the order the services expect."""

metadata = MetaData()

