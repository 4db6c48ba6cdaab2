"""Alembic environment: runs on the connection ``storage.migrations`` hands over
(``config.attributes["connection"]``); batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context

from sync_server.storage.sql.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=True, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
