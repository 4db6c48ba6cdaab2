"""The deal funnel for people: 来访 → 小定 → 大定 → 签约 with conversion rates, week labels
people read, and the 周/月来人来电统计成交状况分析表 (001 §14(三) 7–8) as a page and a sheet.

The seeds name the weekly and monthly 来人来电统计成交状况分析表 but print no template; its
rows here are the week's days (or the month's weeks) and a total, its columns the calls,
visits and deals the office registers (来电, 来人, 小定单, 大定单, 签约, 退房 of §14(三), (六))
and the rates between the stages. Every figure is one ``ReportingStore.funnel`` query; this
module only arranges and labels them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..storage.facts import week_start
from ..storage.reporting import FunnelRow, ReportingStore
from .i18n import text
from .spreadsheets import Percent, Sheet

__all__ = ["week_label", "span_label", "Rates", "rates", "FunnelLine", "Analysis", "analysis", "analysis_sheets",
           "COLUMNS"]


def span_label(first: date, last: date) -> str:
    """``11-30–12-06`` (the en dash between, as people write a span)."""
    return f"{first:%m-%d}–{last:%m-%d}"


def week_label(monday: date, lang: str, first: date | None = None, last: date | None = None) -> str:
    """``第49周 11-30–12-06`` / ``Week 49, 11-30–12-06`` (ISO weeks, Monday to Sunday; the span
    clipped to ``first``..``last`` when given, as in a month's table)."""
    start = max(monday, first) if first else monday
    end = min(monday + timedelta(days=6), last) if last else monday + timedelta(days=6)
    return text("funnel.week_label", lang, week=monday.isocalendar()[1], span=span_label(start, end))


@dataclass(frozen=True)
class Rates:
    """Conversion between the stages, each a fraction (0.25 = 25%) or None when nothing was at
    the stage before: 小定/首访客户, 大定/小定, 签约/大定, and 签约/首访客户 (成交率)."""

    small: float | None
    large: float | None
    contract: float | None
    overall: float | None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def rates(row: FunnelRow) -> Rates:
    return Rates(small=_ratio(row.small_deposits, row.first_visitors),
                 large=_ratio(row.large_deposits, row.small_deposits),
                 contract=_ratio(row.contracts, row.large_deposits),
                 overall=_ratio(row.contracts, row.first_visitors))


@dataclass(frozen=True)
class FunnelLine:
    label: str
    row: FunnelRow
    rates: Rates


@dataclass(frozen=True)
class Analysis:
    """One analysis table: ``period`` week | month, its days ``first``..``last``, a line per day
    (week) or per week (month), the total, and a line per rep."""

    period: str
    first: date
    last: date
    title: str
    lines: list[FunnelLine]
    total: FunnelLine
    reps: list[FunnelLine]


def _line(label: str, row: FunnelRow) -> FunnelLine:
    return FunnelLine(label, row, rates(row))


def analysis(reporting: ReportingStore, site_id: str, period: str, day: date, lang: str,
             people: dict[str, tuple[str, str]]) -> Analysis:
    """The weekly (the ISO week of ``day``) or monthly (the month of ``day``) table."""
    if period == "week":
        first = week_start(day)
        last = first + timedelta(days=6)
        by_day = {r.key: r for r in reporting.funnel(site_id, first, last, "day")}
        lines = []
        for i in range(7):
            d = first + timedelta(days=i)
            lines.append(_line(f"{d:%m-%d} {text(f'funnel.weekday.{i}', lang)}", by_day.get(d.isoformat(), FunnelRow(d.isoformat()))))
        title = text("funnel.week_title", lang, week=week_label(first, lang))
    else:
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        lines = []
        monday = week_start(first)
        while monday <= last:  # one query per week: its distinct visitors are not a sum of days
            start, end = max(monday, first), min(monday + timedelta(days=6), last)
            [row] = reporting.funnel(site_id, start, end, "total")
            lines.append(_line(week_label(monday, lang, first, last), row))
            monday += timedelta(days=7)
        title = text("funnel.month_title", lang, year=first.year, month=first.month)
    [total] = reporting.funnel(site_id, first, last, "total")
    reps = [_line(people.get(r.key, (r.key, ""))[0] if r.key else text("funnel.no_rep", lang), r)
            for r in reporting.funnel(site_id, first, last, "rep")]
    reps.sort(key=lambda line: (-line.row.contracts, -line.row.first_visitors, line.label))
    return Analysis(period, first, last, title, lines, _line(text("common.total", lang), total), reps)


COLUMNS = ("calls", "registrations", "visitors", "first_visitors", "people", "small_deposits",
           "small_deposit_amount", "large_deposits", "large_deposit_amount", "contracts", "contract_amount",
           "cancellations", "cancelled_amount", "unit_changes")
RATE_COLUMNS = ("small", "large", "contract", "overall")


def _cells(line: FunnelLine) -> list[object]:
    values: list[object] = [getattr(line.row, c) for c in COLUMNS]
    return [line.label, *values, *[Percent(getattr(line.rates, r)) for r in RATE_COLUMNS]]


def headings(lang: str, first: str) -> list[str]:
    return [text(first, lang), *[text(f"funnel.col.{c}", lang) for c in COLUMNS],
            *[text(f"funnel.rate.{r}", lang) for r in RATE_COLUMNS]]


def sheet_name(table: Analysis, lang: str) -> str:
    """The main sheet's name: the period whole in Excel's 31 characters (the page's title,
    "周来人来电统计成交状况分析表（第48周 11-23–11-29）", was cut mid-bracket; QA of issue 11, F13)."""
    if table.period == "week":
        return text("funnel.week_sheet", lang, week=week_label(table.first, lang))
    return text("funnel.month_sheet", lang, year=table.first.year, month=table.first.month)


def analysis_sheets(table: Analysis, lang: str) -> list[Sheet]:
    """The table as two sheets: periods with the total, and reps with the total."""
    first = "funnel.day" if table.period == "week" else "funnel.week"
    main = Sheet(sheet_name(table, lang), headings(lang, first), [_cells(line) for line in [*table.lines, table.total]])
    # the note the page shows under the reps (QA sweep: a manager summing the sheet got 15, not 13)
    reps = Sheet(text("funnel.by_rep", lang), headings(lang, "common.rep"),
                 [_cells(line) for line in [*table.reps, table.total]] + [[], [text("funnel.by_rep_help", lang)]])
    return [main, reps]
