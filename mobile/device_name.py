"""The name a tablet suggests for itself at enrolment (QA5 F6b: every tablet suggested
``tablet-vm``, the host's name, so the console's 设备 page listed one name many times).

The suggestion is the word for a tablet in the user's language, the platform's model where
the platform gives one (Android's ``Build.MODEL`` through pyjnius, which python-for-android
ships), and a short id of this installation (four hex digits, drawn once and kept in the
tablet's meta): ``平板-3f2a``, ``平板-SM-T510-3f2a``, ``Tablet-3f2a``. The person may type any
other name (前台一号)."""

from __future__ import annotations

import re
import secrets
from typing import Any

__all__ = ["INSTALL_KEY", "MAX_NAME", "install_id", "platform_model", "suggested_name"]

INSTALL_KEY = "install_id"  # meta: this installation's short id
MAX_NAME = 40


def install_id(store: Any) -> str:
    """This installation's short id (meta ``install_id``), drawn the first time (reads and may
    write the store: call off the UI thread)."""
    known = store.get_meta(INSTALL_KEY)
    if isinstance(known, str) and re.fullmatch(r"[0-9a-f]{4}", known):
        return known
    made = secrets.token_hex(2)
    store.set_meta(**{INSTALL_KEY: made})
    return made


def platform_model() -> str:
    """The device's model as the platform names it (Android: ``Build.MODEL``, e.g. SM-T510);
    "" where there is none to ask (a desktop: its host name is no tablet's name)."""
    from kivy.utils import platform

    if platform != "android":
        return ""
    try:
        from jnius import autoclass  # type: ignore[import-not-found]  # shipped by python-for-android

        return str(autoclass("android.os.Build").MODEL or "").strip()
    except Exception:  # noqa: BLE001 - no model is no reason to fail the enrolment form
        return ""


def suggested_name(word: str, short_id: str, model: str = "") -> str:
    """``word-model-short_id`` (an empty model left out; "tablet" for no word), at most
    ``MAX_NAME`` characters with the short id always kept. ``word`` is the user's language's
    word for a tablet (平板, Tablet): the name is read in other users' explanations and the
    console ("在 平板-3f2a 首次登记"), where a login name (``desk.li-3f2a``, QA of issue 14, L1) read
    as an internal code on a Chinese screen; the console's 设备 page names the user beside it."""
    who = re.sub(r"\s+", " ", word or "").strip() or "tablet"
    model = re.sub(r"\s+", " ", model or "").strip()
    head = "-".join(p for p in (who, model) if p)
    return f"{head[:MAX_NAME - len(short_id) - 1]}-{short_id}"
