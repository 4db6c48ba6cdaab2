"""What a person reads about a problem: the field by its label, the allowed range, what to do.

Record problems (``shared.errors.Problem``: stable ``code`` + English ``message`` + dotted
``field``) come from the tablet's own check before saving and from the server's refusal of a
pushed record; sign-in and sync failures come as ``mobile.sync.errors.SyncError`` with the
server's code. Each is mapped to the tablet's catalogue (``mobile.i18n``) in the user's
language; the server's English sentence is only ever a fallback for a code the tablet does not
know (issue 14: never "customer.name" or "data.party_size" on screen).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shared.records import RECORD_TYPES

from .i18n import STRINGS, tr
from .sync.errors import NetworkError, ServerError

__all__ = ["FIELD_LABELS", "char_shown", "field_label", "problem_text", "refusal_text", "sign_in_failure_text",
           "call_failure_text", "joined_sentences", "withdrawal_reason_text", "not_own_text"]

# dotted field path -> i18n key of the label the form shows beside it
FIELD_LABELS: dict[str, str] = {
    "customer.name": "walkin.name", "customer.phone": "walkin.phone", "customer": "walkin.phone",
    "rep": "walkin.receiver",
    "data.party_size": "walkin.party", "data.source": "walkin.source", "data.intent": "walkin.intent",
    "data.notes": "walkin.notes", "data.visit": "walkin.visit", "data.topic": "call.topic",
    "data.organisation": "visit.organisation", "data.address": "visit.address", "data.legal_representative": "visit.legal",
    "data.visited_on": "visit.date", "data.ratings": "visit.ratings", "data.ratings.quality": "visit.quality",
    "data.ratings.service": "visit.service", "data.ratings.awareness": "visit.awareness",
    "data.suggestions": "visit.suggestions", "data.contact": "follow.contact", "data.contact.name": "visit.contact",
    "data.contact.title": "visit.contact_title", "data.contact.phone": "visit.contact_phone",
    "data.contact.mobile": "visit.contact_mobile", "data.signature": "visit.signature",
    "data.signature.signer": "visit.signer",
    "data.method": "follow.method", "data.content": "follow.content", "data.feedback": "follow.feedback",
    "data.next_action": "follow.next", "data.next_action_on": "follow.next_date",
    "data.grade": "walkin.intent", "data.tier": "follow.tier",
    "data.note": "step.note", "data.satisfaction": "step.satisfaction",
    "data.handler": "complaint.handler", "data.severity": "complaint.severity", "data.reason": "sync.withdraw_reason",
    "captured_at": "field.captured_at",
}
# a deal's fields (成交登记): its own labels where another form uses the same path
DEAL_LABELS: dict[str, str] = {
    "data.stage": "deal.stage", "data.event": "deal.event", "data.unit": "deal.unit", "data.amount": "deal.amount",
    "data.previous_unit": "deal.previous_unit", "data.reason": "deal.reason",
}

_SPECIFIC = {  # code -> i18n key taking {label} (and {min}/{max}/{limit} where given)
    "missing_field": "msg.missing",
    "too_long": "msg.too_long",
    "wrong_type": "msg.wrong_type",
    "invalid_phone": "msg.invalid_phone",
}
_WHOLE = {"unknown_rep": "msg.unknown_rep"}  # codes whose sentence already says which field


def char_shown(char: object, lang: str) -> str:
    """A character a message names, in ``lang``: itself, or for one that draws nothing (the
    server and ``shared.phones.shown_char`` name it ``U+3164 HANGUL FILLER``) "看不见的字符 U+3164"
    — never the Unicode name in English on a Chinese screen (QA of issue 14 re-check)."""
    text = str(char or "")
    if text.startswith("U+"):
        return tr("msg.invisible_char", lang, code=text.split(" ", 1)[0])
    return text


def field_label(field: str, lang: str, record_type: str = "") -> str:
    """The label a person sees for a dotted field path ("" when the path names no field)."""
    if record_type == "complaint" and field in ("data.content", "data.contact"):
        key = "complaint." + field.split(".")[1]
    elif record_type == "deal" and field in DEAL_LABELS:
        key = DEAL_LABELS[field]
    else:
        key = FIELD_LABELS.get(field) or FIELD_LABELS.get(field.rsplit(".", 1)[0], "")
    return tr(key, lang) if key else ""


def _spec(record_type: str, field: str):
    kind = RECORD_TYPES.get(record_type)
    if kind is None or not field.startswith("data."):
        return None
    return kind.data.get(field.split(".")[1])


def problem_text(problem: Any, lang: str, record_type: str = "") -> str:
    """One problem (a ``Problem`` or its wire dict) as a sentence in ``lang``, naming the field
    by its label, giving the range or limit, and saying what to do."""
    code, message, field = _parts(problem)
    if code == "not_own_record" and _params(problem).get("action"):  # the tablet's own check: who, what
        return not_own_text(_params(problem), lang)
    label = field_label(field, lang, record_type)
    spec = _spec(record_type, field)
    params = _params(problem)
    if code == "refund_exceeds_deal":  # the deal's amount: the params, else the outbox's message (QA15 A)
        deal = params.get("deal_amount")
        shown = _yuan(deal) if isinstance(deal, int | float) else _yuan_in(message)
        return tr("err.refund_exceeds_deal", lang, deal=shown) if shown else tr("err.refund_exceeds_deal_unknown", lang)
    if code == "invalid_value" and params.get("reason") == "board_day":  # 排班 of a wrong day (QA F8e)
        return tr("msg.board_day", lang, day=params.get("day") or "", first=params.get("first") or "2000-01-01",
                  last=params.get("last") or "2099-12-31")
    shape = params.get("reason") or _shape_in(code, message)
    if shape in ("time_shape", "date_shape"):  # the wire's one shape, with an example (QA of issue 15)
        return tr(f"msg.{shape}" if label else f"msg.{shape}_unlabelled", lang, label=label)
    if label:
        if code == "invalid_value" and spec is not None and spec.minimum is not None and spec.maximum is not None:
            return tr("msg.range", lang, label=label, min=_number(spec.minimum), max=_number(spec.maximum))
        if code == "invalid_value" and spec is not None and spec.choices:
            return tr("msg.choose", lang, label=label)
        if code == "too_long" and spec is not None:
            return tr("msg.too_long_limit", lang, label=label, limit=spec.max_len)
        if code == "too_long" and field == "customer.name":
            return tr("msg.too_long_limit", lang, label=label, limit=100)
        reason = str(_params(problem).get("reason") or "")
        if code == "invalid_phone" and reason in _PHONE_TYPOS:  # what is wrong with it (QA of issue 14, L12)
            return tr("msg.invalid_phone_" + reason, lang, label=label, char=char_shown(_params(problem).get("char"), lang))
        if code == "invalid_value" and reason == "stacked_marks":  # Zalgo text (QA of issue 14, L4)
            return tr("msg.stacked_marks", lang, label=label, limit=_params(problem).get("limit") or 3)
        if code == "invalid_value" and reason in ("not_base64", "not_png"):  # a signature (QA F8c)
            return tr("msg.image_damaged", lang, label=label)
        if code in _SPECIFIC:
            return tr(_SPECIFIC[code], lang, label=label)
    key = _WHOLE.get(code, "err." + code)
    known = tr(key, lang)
    if known != key:
        if not label or code in _WHOLE or field in ("rep", "captured_at", "id", "type", "supersedes"):
            return known
        return f"{label}：{known}" if lang.startswith("zh") else f"{label}: {known}"
    # a code this tablet does not know: the server's own words (English), said to be the server's
    return tr("msg.server_said", lang, code=code or "?", message=message or "")


def not_own_text(params: Mapping[str, Any], lang: str) -> str:
    """Why the signed-in user may not correct, withdraw or refer to a record (the tablet's
    ``not_own_record``, ``mobile.services.record_rights``): who entered it, who may, the action
    (``params``: ``author_name``, ``rep_name``, ``type``, ``action``) — "这条记录由陈杰录入，只有录入人、
    前台（前台的记录）或经理可以更正。" A deal names its rep, who keeps it (R9)."""
    action = tr("rights.action." + str(params.get("action") or "correct"), lang)
    author, rep = str(params.get("author_name") or ""), str(params.get("rep_name") or "")
    if params.get("type") == "deal" and rep:
        key = "rights.not_yours_deal" if author else "rights.not_yours_deal_unknown"
        return tr(key, lang, author=author, rep=rep, action=action)
    return tr("rights.not_yours" if author else "rights.not_yours_unknown", lang, author=author, action=action)


_NAMED = {"rep_inactive": "rep", "user_inactive": "user", "rep_not_started": "rep"}  # code -> the person it names


def refusal_text(error: Mapping[str, Any] | None, lang: str, record_type: str = "",
                 names: Mapping[str, str] | None = None, rep: str = "", user: str = "") -> str:
    """A server's refusal of a pushed record (``{code, message, field, params?}``) in ``lang``:
    the tablet's own sentence for the code, never the server's English (issue 14 F7: it named
    the rep by username). A code about a person (``rep_inactive``, ``user_inactive``,
    ``rep_not_started`` with the day from ``params["from"]``) names them
    by display name from ``names`` (username -> name, the replica's users): the username in the
    error's ``params`` (docs/protocol.md "Push"), else ``rep`` (the refused record's) or ``user``
    (this tablet's) for a server that sends none; "该售楼员" / "The receiving rep" when the name
    is not held."""
    error = error or {}
    code = str(error.get("code") or "")
    if code in _NAMED:
        slot = _NAMED[code]
        params = error.get("params")
        username = str((params.get(slot) if isinstance(params, Mapping) else None) or (rep if slot == "rep" else user))
        name = (names or {}).get(username)
        who = tr("msg.named_" + slot, lang, name=name) if name else tr("msg.unnamed_" + slot, lang)
        if code == "rep_not_started":  # and the day they start (QA5 F4)
            day = (params.get("from") if isinstance(params, Mapping) else None) or _day_in(error.get("message"))
            return tr("err." + code, lang, rep=who, day=day) if day else tr("err.rep_not_started_undated", lang, rep=who)
        return tr("err." + code, lang, **{slot: who})
    return problem_text(error, lang, record_type)


def _shape_in(code: str, message: str) -> str:
    """``time_shape`` or ``date_shape`` read from a refusal's message (``shared.boundary``'s
    wording): the outbox keeps code, message and field, not ``params`` (as ``_day_in``)."""
    if code == "invalid_time" and "must be a time written YYYY-MM-DDTHH:MM:SS" in message:
        return "time_shape"
    if code == "invalid_value" and "must be a date written YYYY-MM-DD" in message:
        return "date_shape"
    return ""


def _yuan(amount: float) -> str:
    """``20000`` → ``20,000``, ``1200.5`` → ``1,200.50``."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def _yuan_in(message: Any) -> str | None:
    """The deal's amount a ``refund_exceeds_deal`` message names ("… the deal it cancels (20,000
    yuan) …", ``sync_server/services/refund_checks.py``): the outbox keeps no ``params``."""
    found = re.search(r"the deal it cancels \(([\d,.]+) yuan\)", str(message or ""))
    return found.group(1) if found else None


def _day_in(message: Any) -> str | None:
    """The first day named in a ``rep_not_started`` message ("… only from 2026-12-06; …"): the
    outbox keeps code, message and field, not ``params``, so the sync screen reads it there."""
    found = re.search(r"only from (\d{4}-\d{2}-\d{2})", str(message or ""))
    return found.group(1) if found else None


# codes an enrol, sign-in or sync call can answer (sync_server/app.py, api/, services/auth.py,
# push.py, pull.py) -> the tablet's sentence; a code not here gets ``signin.refused``
_CALL_CODES = {
    "not_found": "signin.wrong_address", "method_not_allowed": "signin.wrong_address",
    "not_authenticated": "signin.not_authenticated", "bad_token": "signin.not_authenticated",
    "forbidden": "signin.forbidden", "manager_only": "signin.forbidden", "wrong_device": "signin.wrong_device",
    "unknown_device": "signin.wrong_device", "body_too_large": "signin.too_large", "too_many_records": "signin.too_large",
    "resync": "signin.resync", "invalid_password": "signin.weak_password",
}


def call_failure_text(code: str, status: int, message: str, lang: str) -> str:
    """What a refused enrol, sign-in or sync call (the server's ``code``, HTTP ``status``,
    English ``message``) means, in ``lang``, saying what to do: the tablet's own sentence for
    every code those calls answer (QA of issue 14: ``not_found`` for a server address with a
    path showed the server's English inside Chinese). A 404/405 without the server's error
    body is a wrong address too (another web server). A code the tablet does not know: its
    own sentence with the code; the server's English only as a detail of the English one."""
    key = "signin." + code if code else ""
    if code in _CALL_CODES:
        key = _CALL_CODES[code]
    elif not code and status in (404, 405):
        key = "signin.wrong_address"
    text = tr(key, lang) if key else key
    if key and text != key:
        return text
    text = tr("signin.refused", lang, code=code or (f"HTTP {status}" if status else "?"))
    if message and not lang.startswith("zh"):
        text += f" The server said: {message.rstrip('.')}."
    return text


def sign_in_failure_text(exc: BaseException, lang: str) -> str:
    """Why enrolment failed, in ``lang``: the server's code mapped, never its English
    (``call_failure_text``)."""
    code = getattr(exc, "code", "") or ""
    if isinstance(exc, NetworkError):
        return tr("signin.unreachable", lang)
    if isinstance(exc, ServerError):
        return tr("signin.server_error", lang, status=getattr(exc, "status", 0) or "")
    if code == "password_change_required" and getattr(exc, "details", {}).get("first_sign_in"):
        return tr("signin.first_password", lang)  # a new user: nobody reset anything
    return call_failure_text(code, int(getattr(exc, "status", 0) or 0), str(exc), lang)


def joined_sentences(texts: list[str], lang: str) -> str:
    """Several problems as one sentence: each without its full stop, joined by ；/; and ended
    once (each of the tablet's error strings ends with 。 or . on its own)."""
    zh = lang.startswith("zh")
    parts = [t.rstrip("。.") for t in texts if t]
    return ("；" if zh else "; ").join(parts) + ("。" if zh else ".") if parts else ""


_PHONE_TYPOS = ("letter_o", "letters", "symbol", "extension")  # shared.phones.phone_typo's reasons


def _params(problem: Any) -> Mapping[str, Any]:
    params = problem.get("params") if isinstance(problem, Mapping) else getattr(problem, "params", None)
    return params if isinstance(params, Mapping) else {}


def _parts(problem: Any) -> tuple[str, str, str]:
    if isinstance(problem, Mapping):
        return str(problem.get("code") or ""), str(problem.get("message") or ""), str(problem.get("field") or "")
    return problem.code, problem.message, problem.field


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def withdrawal_reason_text(data: Mapping[str, Any] | None, lang: str, names: Mapping[str, str] | None = None) -> str:
    """The reason of a ``withdrawal`` (its ``data``) in ``lang``: a code the tablet knows
    (``data.reason_code`` + ``data.reason_params``, e.g. ``reception_moved`` with ``rep``) in
    the reader's language, the rep by display name from ``names`` (username -> name); else the
    text stored (what a person typed, or an old tablet's Chinese). "" for no reason."""
    data = data or {}
    code, params = data.get("reason_code"), data.get("reason_params")
    key = f"rotation.withdraw_reason.{code}"
    if code and key in STRINGS and isinstance(params, Mapping):
        rep = str(params.get("rep") or "")
        return tr(key, lang, rep=(names or {}).get(rep, rep))
    return str(data.get("reason") or "")
