"""Explanations a manager can read, in 简体中文 and English.

The ownership engine emits ``Step`` values (rule, key, params), never prose, so that each
screen renders them in its user's language with ``render``. Times in params are datetimes
and are shown in the site's local time.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .explain_templates import (
    TEMPLATES,
    UNKNOWN_TIME,
    UNKNOWN_TIME_SHORT,
    WITHOUT_DEVICE,
    WITHOUT_TIME,
)
from .timeutil import local_text, parse_time

__all__ = ["isolated", "turns_text", "Step", "render", "TEMPLATES", "LANGUAGES", "UNKNOWN_TIME", "UNKNOWN_TIME_SHORT", "step_from_dict",
           "step_text", "sentence", "close_minutes", "render_story", "story_sentences", "story_dicts", "WITHOUT_DEVICE",
           "WITHOUT_TIME"]

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Step:
    """One reasoned step: which rule (``R1``…``R11``), which template, with what values."""

    rule: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    at: datetime | None = None

    def as_dict(self, utc_offset_minutes: int = 480, text: bool = True,
                precise: frozenset[datetime] = frozenset()) -> dict:
        """``{"rule","key","at","params","text":{"zh","en"}}``: times as ISO 8601 text, ``text``
        as ``render`` gives it in each language (the shape an old tablet pulls, protocol.md "Pull";
        times in a ``precise`` minute with seconds — ``story_dicts`` works them out for a story).
        ``text=False``: the same without ``text``, the shape stored (issue 13: rendered when read,
        ``step_from_dict`` + ``render`` give the same words back)."""
        params = self.params
        out = {"rule": self.rule, "key": self.key, "at": self.at.isoformat() if self.at else None,
               "params": {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in params.items()}}
        if text:
            local = _local_values(self, utc_offset_minutes, precise)
            out["text"] = {lang: _fill(self, lang, local) for lang in LANGUAGES}
        return out


_METHODS = {"draw": ("by random draw", "随机抽数分配"), "choice": ("chosen by the manager", "经理指定")}
_STAGES = {"small_deposit": ("small deposit", "小定"), "large_deposit": ("large deposit", "大定"), "contract": ("contract", "签约")}


def render(step: Step, lang: str = "en", utc_offset_minutes: int = 480,
           precise: frozenset[datetime] = frozenset(), isolate: bool = False) -> str:
    """The step as a sentence in ``lang`` (``zh`` or ``en``), times in site-local time; a time
    in one of the ``precise`` minutes (``close_minutes``) with its seconds. ``isolate``: each
    value filled in stands between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
    ISOLATE (its own isolates removed), so a name holding a right-to-left override or Arabic
    letters cannot reorder the sentence around it (QA of issue 14, M6; the console turns them
    into ``<bdi>``)."""
    return _fill(step, lang, _local_values(step, utc_offset_minutes, precise), isolate)


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def close_minutes(steps: Iterable[Step | Mapping]) -> frozenset[datetime]:
    """The minutes in which two different times of one story fall (to the second), so they are
    told with seconds and which came first can be seen (issue 14 F3: "陈杰 先登记（19:49）；王丽
    于 19:49 的登记…"). ``steps``: ``Step`` values or stored/pulled dicts; dates (``until``) are
    not times and never count."""
    seen: dict[datetime, set[datetime]] = {}
    for item in steps:
        step = item if isinstance(item, Step) else step_from_dict(item) if isinstance(item, Mapping) else None
        if step is None:
            continue
        for name, value in step.params.items():
            if isinstance(value, datetime) and name != "until":
                seen.setdefault(_minute(value), set()).add(value.replace(microsecond=0))
    return frozenset(minute for minute, times in seen.items() if len(times) > 1)


def render_story(steps: Iterable[Step], lang: str = "en", utc_offset_minutes: int = 480) -> tuple[str, ...]:
    """A whole explanation in ``lang``: each step ``render``'d, times that share a minute with
    another time of the story told with seconds (``close_minutes``)."""
    steps = tuple(steps)
    precise = close_minutes(steps)
    return tuple(render(step, lang, utc_offset_minutes, precise) for step in steps)


def story_dicts(steps: Iterable[Step], utc_offset_minutes: int = 480) -> list[dict]:
    """A whole story as ``Step.as_dict`` gives each step (``text`` included), times that share a
    minute with another time of the story told with seconds (``close_minutes``, issue 14 F3)."""
    steps = tuple(steps)
    precise = close_minutes(steps)
    return [step.as_dict(utc_offset_minutes, precise=precise) for step in steps]


def story_sentences(items: Iterable[Mapping], utc_offset_minutes: int = 480) -> tuple[dict[str, str], ...]:
    """Stored or pulled steps (``Step.as_dict`` shape) as ``step_text`` gives each, ``{"zh","en"}``,
    with seconds where two times of the story share a minute (``close_minutes``)."""
    items = tuple(item for item in items if isinstance(item, Mapping))
    precise = close_minutes(items)
    return tuple(step_text(item, utc_offset_minutes, precise) for item in items)


def _value(value: object) -> object:
    """A stored param back to its value: ISO 8601 date-times (``as_dict`` wrote them) as datetimes."""
    if isinstance(value, str) and len(value) >= 20 and "T" in value:
        try:
            return parse_time(value)
        except ValueError:
            return value
    return value


def step_from_dict(item: Mapping) -> Step:
    """A stored or pulled step (``Step.as_dict`` shape, with or without ``text``) as a ``Step``;
    ``params`` and ``at`` times parsed back from ISO 8601 text."""
    params = {k: _value(v) for k, v in (item.get("params") or {}).items()}
    at = item.get("at")
    return Step(rule=str(item.get("rule", "")), key=str(item.get("key", "")), params=params,
                at=parse_time(at) if isinstance(at, str) and at else None)


def step_text(item: Mapping, utc_offset_minutes: int = 480,
              precise: frozenset[datetime] = frozenset()) -> dict[str, str]:
    """``{"zh","en"}``: a stored step's sentences rendered from its params (the same words
    ``Step.as_dict`` once stored, issue 13); a step whose template this code does not know
    (written by a newer server) keeps the ``text`` it carries, or shows ``rule key``."""
    carried = item.get("text")
    stored: Mapping = carried if isinstance(carried, Mapping) else {}
    if item.get("key") in TEMPLATES:
        step = step_from_dict(item)
        local = _local_values(step, utc_offset_minutes, precise)
        rendered = {lang: _fill(step, lang, local) for lang in LANGUAGES}
        # a step whose params do not fill its template (a replica's hand-made or truncated
        # row) keeps the words it carries rather than showing "?"
        kept = {lang: stored.get(lang) or stored.get("en") or stored.get("zh") for lang in LANGUAGES}
        return {lang: str(kept[lang]) if kept[lang] and _lacks_values(step, lang) else text
                for lang, text in rendered.items()}
    fallback = f"{item.get('rule', '')} {item.get('key', '')}".strip()
    return {lang: str(stored.get(lang) or stored.get("en") or stored.get("zh") or fallback) for lang in LANGUAGES}


def sentence(item: Mapping, lang: str, utc_offset_minutes: int = 480) -> str:
    """One stored or pulled step as a sentence in ``lang`` (``zh…`` or ``en``): ``step_text``'s."""
    return step_text(item, utc_offset_minutes)["zh" if lang.startswith("zh") else "en"]


def _local_values(step: Step, utc_offset_minutes: int, precise: frozenset[datetime] = frozenset()) -> dict[str, Any]:
    """The step's params with times as site-local text: the same for every language, so
    ``as_dict`` works them out once for both; a time in a ``precise`` minute with seconds."""
    values: dict[str, Any] = {}
    for name, value in step.params.items():
        if isinstance(value, datetime):
            with_time = name not in ("until",)
            values[name] = local_text(value, utc_offset_minutes, with_time=with_time,
                                      seconds=with_time and _minute(value) in precise)
        else:
            values[name] = value
    return values


ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def isolated(value: object) -> str:
    """``value`` as text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, its own
    isolate characters removed (an unmatched one would end or extend the isolation)."""
    return ISOLATE + str(value).translate(_ISOLATES) + POP_ISOLATE


_TURNS_TEXT = frozenset(("R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"))


def turns_text(value: str) -> bool:
    """Does ``value`` hold a right-to-left letter or a bidi control, which would reorder the
    sentence it is put into unless isolated (``isolated``)?"""
    return not value.isascii() and any(unicodedata.bidirectional(ch) in _TURNS_TEXT for ch in value)


def _fill(step: Step, lang: str, local: Mapping[str, Any], isolate: bool = False) -> str:
    """``step``'s template in ``lang`` filled with ``local`` (``_local_values``)."""
    zh = lang.startswith("zh")
    template = _template(step, lang)
    values = dict(local)
    for name in step.params.get("clock_unknown") or ():
        if name in values:
            slot = "{" + name + "}"
            bracketed = "（" + slot + "）" in template or "(" + slot + ")" in template
            values[name] = (UNKNOWN_TIME_SHORT if bracketed else UNKNOWN_TIME)["zh" if zh else "en"]
    for name, value in values.items():  # several people (a list of names): one phrase in the language
        if isinstance(value, (list, tuple)) and name != "clock_unknown":
            values[name] = ("、" if zh else ", ").join(str(v) for v in value)
    if isinstance(values.get("gap_s"), int | float):
        values["gap"] = _gap(float(values["gap_s"]), zh)
    if "method" in values:
        values["method"] = _METHODS.get(values["method"], (values["method"],) * 2)[0 if lang == "en" else 1]
    if "stage" in values:
        values["stage"] = _STAGES.get(values["stage"], (values["stage"],) * 2)[0 if lang == "en" else 1]
    if "split" in step.params:
        split = step.params.get("split") or {}
        owner = step.params.get("owner")  # the owner first, then the largest share (PostgreSQL's jsonb reorders keys)
        order = sorted(split.items(), key=lambda kv: (kv[0] != owner, -kv[1] if isinstance(kv[1], (int, float)) else 0, str(kv[0])))
        shares = [f"{k} {v}%" for k, v in order]
        if not split:
            values["split_text"] = ""
        elif zh:  # full-width punctuation in Chinese text
            values["split_text"] = "（" + "，".join(shares) + "）"
        else:
            values["split_text"] = " (" + ", ".join(shares) + ")"
    if isolate:
        values = {name: isolated(value) for name, value in values.items()}
    return template.format_map(_Missing(values))


def _gap(seconds: float, zh: bool) -> str:
    """Seconds under a minute (``12 秒``), whole minutes and seconds above (``10 分 31 秒``,
    issue 11: "631.0 秒" was read as a measurement, not a time apart)."""
    whole = round(abs(seconds))
    if whole < 60:
        shown = f"{abs(seconds):g}" if abs(seconds) < 10 else str(whole)
        return f" {shown} 秒" if zh else f"{shown} s"
    minutes, rest = divmod(whole, 60)
    if zh:
        return f" {minutes} 分钟" + (f" {rest} 秒" if rest else "")
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def _template(step: Step, lang: str) -> str:
    """``step``'s template in ``lang``: ``WITHOUT_DEVICE``'s when it names no device,
    ``WITHOUT_TIME``'s when it carries no ``time`` (stored before it did), else ``TEMPLATES``'."""
    if step.key in WITHOUT_DEVICE and not step.params.get("device"):
        table = WITHOUT_DEVICE
    elif step.key in WITHOUT_TIME and "time" not in step.params:
        table = WITHOUT_TIME
    else:
        table = TEMPLATES
    return table[step.key]["zh" if lang.startswith("zh") else "en"]


def _lacks_values(step: Step, lang: str) -> bool:
    """Does ``step``'s template in ``lang`` name a value its params do not give?"""
    template = _template(step, lang)
    derived = {"split_text", "gap"}  # filled by ``_fill`` from other params
    return any(name and name not in step.params and name not in derived
               for _, name, _, _ in string.Formatter().parse(template))


class _Missing(dict):
    def __missing__(self, key: str) -> str:  # a template never fails on a missing value
        return "?"
