"""Small value formatters used by the templates (as Jinja filters) and the exports."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from shared.phones import dialled_text, display_phone, mask_phone
from shared.timeutil import local_text, parse_time, site_zone

from .i18n import STRINGS

__all__ = ["local", "local_date", "local_datetime", "duration", "FILTERS", "to_datetime", "export_phone",
           "withdrawal_reason"]


def to_datetime(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, datetime) else parse_time(value)


def local(value: str | datetime | None, tz: int = 480, seconds: bool = False) -> str:
    """Site-local 'YYYY-MM-DD HH:MM' (with ':SS' when asked); '' for nothing."""
    at = to_datetime(value)
    if at is None:
        return ""
    if seconds:
        return at.astimezone(site_zone(tz)).strftime("%Y-%m-%d %H:%M:%S")
    return local_text(at, tz)


def local_datetime(value: str | datetime | None, tz: int = 480) -> datetime | None:
    """Site-local wall time without an offset, to the minute (what a spreadsheet's date-time
    cell holds: Excel has no time zones); None for nothing."""
    at = to_datetime(value)
    if at is None:
        return None
    return at.astimezone(site_zone(tz)).replace(tzinfo=None, second=0, microsecond=0)


@lru_cache(maxsize=1 << 16)
def export_phone(key: str | None) -> str:
    """A phone key as a sales office in China dials it: a Chinese number as written there
    (``138 0013 8000``, ``010 6234 5678``), any other country's with its code (``+1 415-555-0100``:
    its national form cannot be dialled from China; QA of issue 11 F7); text in any
    spreadsheet, never a number; a key that is not E.164 unchanged. A CN mobile key is grouped
    without parsing (``shared.phones.national_text``, ~0.5 µs); any other is formatted once per
    distinct key (an LRU of 65,536: libphonenumber's parse and format cost ~23 µs a key on a
    quiet box, ~85 µs under load)."""
    if not key:
        return ""
    try:
        return dialled_text(key) if key.startswith("+") else key
    except Exception:  # noqa: BLE001 - a stored key libphonenumber cannot parse is shown as stored
        return key


def withdrawal_reason(data: dict | None, t, names: dict[str, str]) -> str:
    """Why a ``withdrawal`` was made, in the reader's language (``t``): a code a tablet wrote
    (``data.reason_code`` + ``reason_params``, ``shared.records.WITHDRAWAL_REASON_CODES``; the
    rep by display name from ``names``, username -> name) rendered from the console's strings,
    else the text stored (what a person typed); "" for none."""
    data = data or {}
    code, params = data.get("reason_code"), data.get("reason_params")
    key = f"rotation.withdraw_reason.{code}"
    if code and isinstance(params, dict) and key in STRINGS:  # a code this console knows
        rep = str(params.get("rep") or "")
        return t(key, rep=names.get(rep, rep))
    return str(data.get("reason") or "")


def local_date(value: str | datetime | None, tz: int = 480) -> str:
    at = to_datetime(value)
    return local_text(at, tz, with_time=False) if at else ""


_UNITS = {"zh": {"ms": "毫秒", "s": "秒", "min": "分钟", "h": "小时", "d": "天"},
          "en": {"ms": "ms", "s": "s", "min": "min", "h": "h", "d": "d"}}


def duration(ms: int | None, lang: str = "en") -> str:
    """A length of time people read at a glance, in the reader's language: ``850 ms``, ``12 s``,
    ``3 min 5 s``, ``2 h 10 min``, ``3 d 4 h``; Chinese ``3 分钟 5 秒``, ``292 天 5 小时`` (QA of
    issue 11 F8: English units on Chinese pages)."""
    if ms is None:
        return ""
    u = _UNITS["zh" if lang == "zh" else "en"]
    ms = abs(int(ms))
    if ms < 1000:
        return f"{ms} {u['ms']}"
    # rounded to the smaller unit shown, not cut (QA of issue 11, second pass: a clock 3 d 4 h
    # fast, less a few milliseconds of transit, read 3 d 3 h)
    s = round(ms / 1000)
    if s < 60:
        return f"{s} {u['s']}"
    if s < 3600:
        return f"{s // 60} {u['min']} {s % 60} {u['s']}" if s % 60 else f"{s // 60} {u['min']}"
    minutes = round(ms / 60_000)
    if minutes < 1440:
        return f"{minutes // 60} {u['h']} {minutes % 60} {u['min']}"
    hours = round(ms / 3_600_000)
    return f"{hours // 24} {u['d']} {hours % 24} {u['h']}"


FILTERS = {"local": local, "local_date": local_date, "duration": duration, "mask_phone": mask_phone,
           "phone": display_phone}  # managers see whole numbers (000 §三: authorised people)
