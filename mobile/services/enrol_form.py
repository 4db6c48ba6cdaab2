"""What the enrol screen checks before it calls the server (QA of issue 14, L3 and M6): pure
functions, so the screen says the real problem in its own words instead of the server's
refusal read as 无法连接服务器 or 填写不完整."""

from __future__ import annotations

import unicodedata

from shared.fields import DEVICE_NAME_MAX, hidden_character

__all__ = ["server_address", "device_name_problem", "DEVICE_NAME_MAX"]


def server_address(typed: str) -> str:
    """The server address as typed, ``http://`` put in front when no scheme was typed
    (``192.168.1.10:8000``: it was 无法连接服务器, QA of issue 14, L3); "" for nothing or the
    bare ``http://`` the field starts with. Typed through a Chinese input method in full-width
    form (``ｈｔｔｐ：／／１９２．１６８…``, the colon ``：``) it is read as the ASCII it stands for
    (NFKC; QA of issue 14 re-check: it was 无法连接服务器)."""
    text = unicodedata.normalize("NFKC", typed or "").replace("。", ".").strip()
    if text.rstrip("/") in ("", "http:", "https:"):
        return ""
    return text if "://" in text else "http://" + text.lstrip("/")


def device_name_problem(name: str) -> tuple[str, dict[str, object]] | None:
    """``(string key, values)`` of what no server would take in a device name, None when it is
    fine: longer than ``DEVICE_NAME_MAX`` characters (``enrol.device_too_long``: it was 填写不完整)
    or holding a character that draws nothing or turns text around (``enrol.device_hidden``
    with the character as ``U+202E``; the server refuses it, M6)."""
    if len(name) > DEVICE_NAME_MAX:
        return "enrol.device_too_long", {"limit": DEVICE_NAME_MAX, "length": len(name)}
    char = hidden_character(name)
    if char:
        return "enrol.device_hidden", {"char": char}
    return None
