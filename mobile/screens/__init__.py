"""Screens: one class + one .kv file each, built lazily on first use (kivy showcase style).

``preload`` imports the screen modules and reads the .kv files once, at app start before the
first frame, so that showing a screen later parses and builds from memory: no file access on
the UI thread while the desk is working.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from kivy.lang import Builder

__all__ = ["SCREENS", "load_screen", "preload"]

HERE = Path(__file__).parent

# name -> (module, class)
SCREENS = {
    "enrol": ("enrol", "EnrolScreen"),
    "home": ("home", "HomeScreen"),
    "walkin": ("walkin", "WalkinScreen"),
    "call": ("call", "CallScreen"),
    "rotation": ("rotation", "RotationScreen"),
    "customers": ("customers", "CustomersScreen"),
    "due": ("due", "DueScreen"),
    "visit": ("visit_report", "VisitReportScreen"),
    "follow": ("follow_up", "FollowUpScreen"),
    "complaint": ("complaint", "ComplaintScreen"),
    "complaint_step": ("complaint_step", "ComplaintStepScreen"),
    "sync": ("sync", "SyncScreen"),
    "today": ("today", "TodayScreen"),
    "find": ("find", "FindScreen"),
    "card": ("card", "CardScreen"),
    "deal": ("deal", "DealScreen"),
}

_KV_TEXT: dict[str, str] = {}  # .kv path -> its text, read by preload


def preload() -> None:
    """Import every screen module and read every .kv file (call before the first frame)."""
    for module_name, _class_name in SCREENS.values():
        importlib.import_module(f"{__name__}.{module_name}")
        kv = str(HERE / f"{module_name}.kv")
        if kv not in _KV_TEXT:
            _KV_TEXT[kv] = Path(kv).read_text(encoding="utf-8")


def load_screen(name: str):
    """Import the screen's class, load its .kv rules once, and make the screen."""
    module_name, class_name = SCREENS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    kv = str(HERE / f"{module_name}.kv")
    if kv not in Builder.files:
        if kv in _KV_TEXT:
            Builder.load_string(_KV_TEXT[kv], filename=kv)  # filename: listed in Builder.files, errors name the file
        else:
            Builder.load_file(kv)
    return getattr(module, class_name)(name=name)
