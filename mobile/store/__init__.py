"""The tablet's local store: outbox of own records, replica of server data, clock anchors."""

from .local_store import LocalStore, OutboxEntry, StoreError
from .migrations import MIGRATIONS, migrate

__all__ = ["LocalStore", "OutboxEntry", "StoreError", "MIGRATIONS", "migrate"]
