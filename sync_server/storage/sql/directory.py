"""Sites, users and devices (with their clocks and seq bookkeeping) of ``SqlStore``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple

from sqlalchemy import func, select, union, update

from shared.timeutil import format_time, utc_now

from ..base import Anchor, Device, DuplicateKey, RefusedSeq, Site, UnknownSite, User
from . import dialects
from .engine import Transactions
from .tables import anchors, device_sync, devices, directors, records, refused_seqs, sites, users

__all__ = ["Directory", "SITE_COLUMNS", "USER_COLUMNS", "DEVICE_COLUMNS", "site_of", "user_of"]

SITE_COLUMNS = [sites.c[name] for name in ("id", "name", "validity_days", "household", "region",
                                           "utc_offset_minutes", "close_call_ms", "walkin_landlines",
                                           "closed_days", "replica_keys", "replica_key")]
USER_COLUMNS = [users.c[name] for name in ("username", "site_id", "name", "role", "password_hash", "active",
                                           "deactivated_at", "must_change_password", "duty_periods",
                                           "tag2_since")]
DEVICE_COLUMNS = [devices.c[name] for name in ("id", "site_id", "username", "name", "enrolled_at", "revoked_at")]
"""A device's identity; ``Device``'s last two fields come from ``device_sync``."""


def site_of(row) -> Site:
    site_id, name, validity_days, household, region, offset, close_call_ms, landlines, closed, keys, key = row[:11]
    return Site(site_id, name, validity_days, household, region, offset, close_call_ms, bool(landlines),
                tuple(closed or ()), keys, key)


def user_of(row) -> User:
    username, site_id, name, role, password_hash = row[:5]
    return User(username, site_id, name, role, password_hash, active=bool(row[5]), deactivated_at=row[6],
                must_change_password=bool(row[7]),
                duty_periods=tuple((a, b) for a, b in row[8] or [[None, None if row[5] else row[6]]]),
                tag2_since=row[9])


class Directory(Transactions):
    # -- sites and users -----------------------------------------------------------------
    def add_site(self, site: Site) -> None:
        with self.write(site.id):
            if self.get_site(site.id):
                raise DuplicateKey(f"site {site.id} exists")
            self._exec(sites.insert().values(**{**vars(site), "closed_days": sorted(set(site.closed_days))},
                                             change_id=self.next_change_id()))

    def get_site(self, site_id: str) -> Site | None:
        rows = self._all(select(*SITE_COLUMNS).where(sites.c.id == site_id))
        return site_of(rows[0]) if rows else None

    def update_site(self, site_id: str, *, walkin_landlines: bool | None = None,
                    closed_days: Sequence[str] | None = None, replica_keys: str | None = None) -> None:
        with self.write(site_id):
            if not self.get_site(site_id):
                raise UnknownSite(site_id)
            values: dict = {"change_id": self.next_change_id()}
            if walkin_landlines is not None:
                values["walkin_landlines"] = walkin_landlines
            if closed_days is not None:
                values["closed_days"] = sorted(set(closed_days))
            if replica_keys is not None:
                values["replica_keys"] = replica_keys
            self._exec(update(sites).where(sites.c.id == site_id).values(**values))

    def list_sites(self) -> list[Site]:
        return [site_of(r) for r in self._all(select(*SITE_COLUMNS).order_by(sites.c.id))]

    def add_user(self, user: User) -> None:
        with self.write(user.site_id):
            if not self.get_site(user.site_id):
                raise UnknownSite(user.site_id)
            if self.get_user(user.username) or self._all(select(directors.c.username).where(
                    directors.c.username == user.username)):  # a director's name too (issue 12)
                raise DuplicateKey(f"user {user.username} exists")
            periods = user.duty_periods or ((None, None if user.active else user.deactivated_at),)
            self._exec(users.insert().values(**{**vars(user), "duty_periods": [list(p) for p in periods]},
                                             change_id=self.next_change_id()))

    def get_user(self, username: str) -> User | None:
        rows = self._all(select(*USER_COLUMNS).where(users.c.username == username))
        return user_of(rows[0]) if rows else None

    def list_users(self, site_id: str | None = None) -> list[User]:
        query = select(*USER_COLUMNS).order_by(users.c.site_id, users.c.username)
        if site_id:
            query = query.where(users.c.site_id == site_id)
        return [user_of(r) for r in self._all(query)]

    def update_user(self, username: str, *, active: bool | None = None, password_hash: str | None = None,
                    must_change_password: bool | None = None) -> None:
        user = self.get_user(username)
        if user is None:
            return
        with self.write(user.site_id):
            values: dict = {"change_id": self.next_change_id()}
            if active is not None:
                now = format_time(utc_now())  # one instant: the deactivation and the period it closes
                values["active"] = active
                # the first deactivation's time stands until the user is reactivated
                values["deactivated_at"] = None if active else func.coalesce(users.c.deactivated_at, now)
                periods = [list(p) for p in user.duty_periods]
                if active and not user.active:  # back on the duty list from now (rotation boards)
                    values["duty_periods"] = [*periods, [now, None]]
                elif not active and user.active and periods and periods[-1][1] is None:
                    values["duty_periods"] = [*periods[:-1], [periods[-1][0], now]]
            if password_hash is not None:
                values["password_hash"] = password_hash
            if must_change_password is not None:
                values["must_change_password"] = must_change_password
            self._exec(update(users).where(users.c.username == username).values(**values))

    # -- devices -------------------------------------------------------------------------
    def add_device(self, device: Device, token_hash: str) -> None:
        with self.write(device.site_id):
            self._exec(devices.insert().values(id=device.id, site_id=device.site_id, username=device.username,
                                               name=device.name, token_hash=token_hash,
                                               enrolled_at=device.enrolled_at))

    def device_by_token(self, token_hash: str) -> Device | None:
        rows = self._all(select(*DEVICE_COLUMNS).where(devices.c.token_hash == token_hash))
        return self._with_sync(rows[0]) if rows else None

    def get_device(self, device_id: str) -> Device | None:
        rows = self._all(select(*DEVICE_COLUMNS).where(devices.c.id == device_id))
        return self._with_sync(rows[0]) if rows else None

    def _with_sync(self, row: Sequence) -> Device:
        """A ``devices`` row (``DEVICE_COLUMNS``) with its site's ``device_sync`` state."""
        synced = self._all(select(device_sync.c.last_offset_ms, device_sync.c.contiguous_seq,
                                  device_sync.c.last_pull_at)
                           .where(device_sync.c.site_id == row[1], device_sync.c.device_id == row[0]))
        return Device(*row, *(synced[0] if synced else (None, 0, None)))

    def list_devices(self, site_id: str | None = None) -> list[Device]:
        query = select(*DEVICE_COLUMNS).order_by(devices.c.enrolled_at, devices.c.id)
        if site_id:
            query = query.where(devices.c.site_id == site_id)
        with self.read():
            return [self._with_sync(r) for r in self._all(query)]

    def revoke_device(self, device_id: str, at: str) -> None:
        device = self.get_device(device_id)
        if device is None:
            return
        with self.write(device.site_id):
            self._exec(update(devices).where(devices.c.site_id == device.site_id, devices.c.id == device_id)
                       .values(revoked_at=func.coalesce(devices.c.revoked_at, at)))

    def anchors(self, site_id: str, device_id: str) -> list[Anchor]:
        query = (select(anchors.c.device_id, anchors.c.boot_id, anchors.c.elapsed_ms, anchors.c.server_time)
                 .where(anchors.c.site_id == site_id, anchors.c.device_id == device_id).order_by(anchors.c.boot_id))
        return [Anchor(*r) for r in self._all(query)]

    def save_push_clock(self, site_id: str, anchor: Anchor, offset_ms: int) -> None:
        row = dict(zip(("device_id", "boot_id", "elapsed_ms", "server_time"), astuple(anchor), strict=True))
        upsert = dialects.insert(self.dialect, anchors).values(site_id=site_id, **row)
        self._exec(upsert.on_conflict_do_update(index_elements=["site_id", "device_id", "boot_id"],
                                                set_={"elapsed_ms": upsert.excluded.elapsed_ms,
                                                      "server_time": upsert.excluded.server_time}))
        self._set_sync(site_id, anchor.device_id, last_offset_ms=offset_ms)

    def note_pull(self, site_id: str, device_id: str, at: str) -> None:
        # write() without a site: no site lock (SQLite has one writer anyway, for a moment)
        with self.write():
            self._set_sync(site_id, device_id, last_pull_at=at)

    def note_tag2(self, site_id: str, username: str, at: str) -> None:
        with self.write():  # no site lock, as note_pull; the first pull's time stands
            self._exec(update(users).where(users.c.site_id == site_id, users.c.username == username,
                                           users.c.tag2_since.is_(None)).values(tag2_since=at))

    def _set_sync(self, site_id: str, device_id: str, **values) -> None:
        """*(in write)* Upsert the device's ``device_sync`` row with ``values``."""
        upsert = dialects.insert(self.dialect, device_sync).values(site_id=site_id, device_id=device_id, **values)
        self._exec(upsert.on_conflict_do_update(index_elements=["site_id", "device_id"],
                                                set_={k: upsert.excluded[k] for k in values}))

    def add_refused_seqs(self, site_id: str, refused: Sequence[RefusedSeq]) -> None:
        keys = ("device_id", "seq", "record_id", "code", "message", "received_at")
        self._exec(dialects.insert(self.dialect, refused_seqs).on_conflict_do_nothing(),
                   [{"site_id": site_id, **dict(zip(keys, astuple(r), strict=True))} for r in refused])

    def advance_contiguous_seq(self, site_id: str, device_id: str) -> int:
        conn = self._in_write()
        current = conn.execute(select(device_sync.c.contiguous_seq).where(
            device_sync.c.site_id == site_id, device_sync.c.device_id == device_id)).scalar() or 0
        arrived = union(select(records.c.seq).where(records.c.site_id == site_id, records.c.device_id == device_id,
                                                    records.c.seq > current),
                        select(refused_seqs.c.seq).where(refused_seqs.c.site_id == site_id,
                                                         refused_seqs.c.device_id == device_id,
                                                         refused_seqs.c.seq > current)).order_by("seq")
        start = current
        for (seq,) in conn.execute(arrived):
            if seq != current + 1:
                break
            current = seq
        if current != start:
            self._set_sync(site_id, device_id, contiguous_seq=current)
        return current
