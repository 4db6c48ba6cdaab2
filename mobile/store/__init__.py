"""The tablet's local store: outbox of own records, replica of server data, clock anchors."""

from .local_store import LocalStore, OutboxEntry
from .migrations import MIGRATIONS, migrate
from .refusals import RecordRefused, StoreError

__all__ = ["LocalStore", "OutboxEntry", "StoreError", "RecordRefused", "MIGRATIONS", "migrate"]
