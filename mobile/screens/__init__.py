"""Screens: one class + one .kv file each, loaded lazily on first use (kivy showcase style)."""

from __future__ import annotations

import importlib
from pathlib import Path

from kivy.lang import Builder

__all__ = ["SCREENS", "load_screen"]

HERE = Path(__file__).parent

# name -> (module, class)
SCREENS = {
    "enrol": ("enrol", "EnrolScreen"),
    "home": ("home", "HomeScreen"),
    "walkin": ("walkin", "WalkinScreen"),
    "call": ("call", "CallScreen"),
    "rotation": ("rotation", "RotationScreen"),
    "customers": ("customers", "CustomersScreen"),
    "visit": ("visit_report", "VisitReportScreen"),
    "follow": ("follow_up", "FollowUpScreen"),
    "complaint": ("complaint", "ComplaintScreen"),
    "sync": ("sync", "SyncScreen"),
}


def load_screen(name: str):
    """Import the screen's class, load its .kv once, and make the screen."""
    module_name, class_name = SCREENS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    kv = str(HERE / f"{module_name}.kv")
    if kv not in Builder.files:
        Builder.load_file(kv)
    return getattr(module, class_name)(name=name)
