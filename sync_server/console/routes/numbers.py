"""来人来电统计表: visitors and calls by period, source and rep; disputes; windows ending."""

from __future__ import annotations

import json
from datetime import date, timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from shared.timeutil import utc_now

from ...services.held import held_in_range
from ...storage.facts import week_start
from ...storage.reporting import FunnelRow
from ..days import DayFields, range_bounds, today
from ..deps import ManagerDep
from ..funnel import COLUMNS, FunnelLine, rates, week_label
from ..i18n import label, text
from ..statistics import summarise

router = APIRouter()

MAX_DAYS = {"day": 92, "week": 366, "month": 366}
"""The longest range the page shows at once, by period: a row per day is readable for a quarter."""


@router.get("/numbers")
def numbers(manager: ManagerDep, period: str = "day", start: str = "", end: str = "") -> Response:
    page, site, reporting = manager.page, manager.site, manager.page.state.reporting
    tz = site.utc_offset_minutes
    fields = DayFields(page.t)
    period = fields.choice("period", period, ("day", "week", "month"), "day")
    default_span = {"day": 13, "week": 55, "month": 180}[period]
    last = fields.day("end", end, today(tz))
    first = fields.day("start", start, last - timedelta(days=default_span))
    today_ = today(tz)
    first, last = fields.range(first, last, (min(last, today_) - timedelta(days=default_span), min(last, today_)),
                               MAX_DAYS[period])
    bounds = range_bounds(first, last, tz)
    assert bounds is not None  # DayFields.range: forwards, never longer than range_bounds takes
    error = page.t("error.in_field") if fields.errors else None
    people = reporting.people(site.id)
    stats = summarise(reporting.counts(site.id, *bounds, tz), reporting.conflicts(site.id, None),
                      reporting.decisions(site.id), period, first, last, tz)
    now = utc_now()
    ending = reporting.protection_ending(site.id, now, now + timedelta(days=7))
    rep_names = {rep: people.get(rep, (rep, ""))[0] for rep in stats.by_rep}
    reps_sorted = sorted(stats.by_rep, key=lambda r: -stats.by_rep[r]["walkin"])
    sources = sorted(stats.by_source, key=lambda s: -(stats.by_source[s]["walkin"] + stats.by_source[s]["call"]))
    labels = {p: _period_label(p, period, page.lang, first, last) for p in stats.periods}
    charts = {
        "periods": {"labels": [labels[p] for p in stats.periods],
                    "series": [{"label": page.t("numbers.visitors"), "data": [stats.walkins[p] for p in stats.periods]},
                               {"label": page.t("numbers.calls"), "data": [stats.calls[p] for p in stats.periods]}]},
        "fairness": {"labels": [rep_names[r] for r in reps_sorted],
                     "series": [{"label": page.t("numbers.first"), "data": [stats.by_rep[r]["first"] for r in reps_sorted]},
                                {"label": page.t("numbers.return"), "data": [stats.by_rep[r]["return"] for r in reps_sorted]}]},
        "sources": {"labels": [label("source", s, page.lang) for s in sources],
                    "series": [{"label": page.t("numbers.visitors"), "data": [stats.by_source[s]["walkin"] for s in sources]},
                               {"label": page.t("numbers.calls"), "data": [stats.by_source[s]["call"] for s in sources]}]},
    }
    # the funnel: one GROUP BY per grouping (distinct visitors of a week are not a sum of its days)
    by_period = {r.key: r for r in reporting.funnel(site.id, first, last, period)}
    funnel_lines = [FunnelLine(labels[p], row, rates(row)) for p in reversed(stats.periods)
                    for row in [by_period.get(_funnel_key(p, period), FunnelRow(p))]]
    [total] = reporting.funnel(site.id, first, last, "total")
    rep_lines = [FunnelLine(people.get(r.key, (r.key, ""))[0] if r.key else text("funnel.no_rep", page.lang), r,
                            rates(r)) for r in reporting.funnel(site.id, first, last, "rep")]
    rep_lines.sort(key=lambda line: (-line.row.contracts, -line.row.first_visitors, line.label))
    return page.render("numbers.html", status_code=fields.status, field_errors=fields.errors, manager=manager,
                       period=period, start=first, end=last, stats=stats,
                       rep_names=rep_names, reps_sorted=reps_sorted, sources=sources, ending=ending, people=people,
                       charts_json=json.dumps(charts, ensure_ascii=False), error=error, labels=labels,
                       funnel_lines=funnel_lines, funnel_total=FunnelLine(text("common.total", page.lang), total,
                                                                          rates(total)),
                       rep_lines=rep_lines, columns=COLUMNS,
                       held_counts=held_in_range(page.state.store, site.id, *bounds))  # counted above, owner waiting


def _funnel_key(bucket: str, period: str) -> str:
    """``statistics.bucket_of``'s key as ``ReportingStore.funnel``'s: a week by its Monday."""
    if period == "week":
        year, week = bucket.split("-W")
        return date.fromisocalendar(int(year), int(week), 1).isoformat()
    return bucket


def _period_label(bucket: str, period: str, lang: str, first: date, last: date) -> str:
    """What people read for a period: the day, ``第49周 11-30–12-06``, or the month."""
    if period != "week":
        return bucket
    return week_label(week_start(date.fromisoformat(_funnel_key(bucket, period))), lang, first, last)
