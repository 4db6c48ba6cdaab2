"""fieldsync's shared domain: record types, phones, clocks and the ownership rules.

Imports none of kivy, fastapi, requests or a database driver: the tablet (python-for-android)
and the server both build on it, and it builds on nothing of theirs.
"""

from .clocks import (
    CaptureEstimate,
    ClockAnchor,
    DeviceClock,
    anchor_from_push,
    estimate_capture_time,
)
from .errors import FieldsyncError, InvalidPhone, Problem, RecordInvalid
from .explain import Step, render
from .ownership import (
    Claim,
    Conflict,
    ManagerDecision,
    Ownership,
    TimedRecord,
    decide_ownership,
    household_units,
)
from .phones import mask_phone, normalise_phone, phone_hash
from .policy import SitePolicy
from .records import RECORD_TYPES, Record, parse_record, validate_record

__all__ = [
    "CaptureEstimate", "ClockAnchor", "DeviceClock", "anchor_from_push", "estimate_capture_time",
    "FieldsyncError", "InvalidPhone", "Problem", "RecordInvalid", "Step", "render",
    "Claim", "Conflict", "ManagerDecision", "Ownership", "TimedRecord", "decide_ownership",
    "household_units", "mask_phone", "normalise_phone", "phone_hash", "SitePolicy", "RECORD_TYPES", "Record",
    "parse_record", "validate_record",
]
