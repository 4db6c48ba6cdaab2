"""排班: the day's rotation board as the server folds it, the receptions to check (clashes), and
fairness by rep and week (turns taken, lost, made up, owed; duty and designated receptions),
with a CSV / XLSX export (``spreadsheets``)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from shared.rotation_log import Clash, DayBoard

from ...services.rotation import Fairness, day_boards, fairness, status_setters, undone_receptions
from ..days import MAX_RANGE_DAYS, DayFields, today
from ..deps import Manager, ManagerDep
from ..formatting import withdrawal_reason
from ..spreadsheets import Sheet, csv_bytes, xlsx_bytes

router = APIRouter()

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAIRNESS_WEEKS = 4  # the page's default span: the day's week and the three before it


def _span(manager: Manager, day: str, start: str, end: str) -> tuple[date, date, date, DayFields]:
    """The board's day, the fairness range and what was wrong with the fields: a day that is
    not one gives its default; a reversed or too long range the default range (said beside
    the field, ``DayFields``)."""
    tz = manager.site.utc_offset_minutes
    fields = DayFields(manager.page.t)
    chosen = fields.day("day", day, today(tz))
    last = fields.day("end", end, chosen)
    default_first = last - timedelta(days=last.weekday() + 7 * (FAIRNESS_WEEKS - 1))
    first = fields.day("start", start, default_first)
    first, last = fields.range(first, last, (chosen - timedelta(days=chosen.weekday() + 7 * (FAIRNESS_WEEKS - 1)),
                                             chosen), MAX_RANGE_DAYS)
    return chosen, first, last, fields


@router.get("/rotation")
def rotation(manager: ManagerDep, day: str = "", start: str = "", end: str = "") -> Response:
    """The day's board and fairness; a bad field is said beside it (422) and its default shown."""
    page, site, reporting = manager.page, manager.site, manager.page.state.reporting
    chosen, first, last, fields = _span(manager, day, start, end)
    users = page.state.store.list_users(site.id)
    (board,), views = day_boards(reporting, site, users, chosen, chosen)
    boards, _ = day_boards(reporting, site, users, first, last)
    people = reporting.people(site.id)
    names = {username: name for username, (name, _) in people.items()}
    undone = [(u, withdrawal_reason(u.withdrawal.record.wire.get("data"), page.t, names))
              for u in undone_receptions(views, reporting, site, chosen)]
    return page.render("rotation.html", status_code=fields.status, manager=manager, board=board, views=views,
                       undone=undone,
                       day=chosen, start=first, end=last, fair=fairness(boards), people=people,
                       setters=status_setters(board, views),
                       error=page.t("error.in_field") if fields.errors else None, field_errors=fields.errors,
                       clash_lines=[_clash_text(page.t, c, people) for c in board.clashes],
                       late_line=_late_text(page, board, views),
                       lunch_names="、".join(_name(people, r) for r in board.rotation.lunch))


def _late_text(page, board: DayBoard, views) -> str | None:
    """What the board says of earlier days' records that reached the server after the next day
    began (``DayBoard.late``: they did not reorder this day; QA of issue 12 M1), else None."""
    if not board.late:
        return None
    sep = "、" if page.lang == "zh" else ", "
    days = sep.join(sorted({e.day for e in board.late if e.day}))
    devices = sep.join(sorted({views[e.id].device_name for e in board.late if e.id in views and views[e.id].device_name}))
    return page.t("rotation.late", n=len(board.late), days=days or "—", devices=devices or "—")


def _name(people: dict[str, tuple[str, str]], rep: str | None) -> str:
    return people.get(rep or "", (rep or "—", ""))[0]


def _clash_text(t, clash: Clash, people: dict[str, tuple[str, str]]) -> str:
    names = "、".join(_name(people, r) for r in clash.reps)
    return t("rotation.clash." + clash.kind, turn=clash.turn or "?", n=len(clash.reps), names=names,
             expected=_name(people, clash.expected))


def _sheets(t, fair: Fairness, boards: list[DayBoard], people: dict[str, tuple[str, str]]) -> list[Sheet]:
    columns = ("taken", "lost", "made_up", "owed", "duty", "designated", "returning")
    fairness_rows = [[week, _name(people, rep), *fair.by_week[week][rep].as_tuple()]
                     for week in fair.weeks for rep in fair.reps if rep in fair.by_week[week]]
    clash_rows = [[b.day, t("rotation.clash." + c.kind, turn=c.turn or "?", n=len(c.reps),
                            names="、".join(_name(people, r) for r in c.reps), expected=_name(people, c.expected))]
                  for b in boards for c in b.clashes]
    return [Sheet(t("rotation.sheet_fairness"), [t("rotation.week"), t("common.rep"),
                                                 *(t("rotation." + c) for c in columns)], fairness_rows),
            Sheet(t("rotation.sheet_clashes"), [t("common.date"), t("rotation.kind")], clash_rows)]


@router.get("/rotation/export")
def export(manager: ManagerDep, format: str = "csv", day: str = "", start: str = "", end: str = "") -> Response:
    page, site, reporting = manager.page, manager.site, manager.page.state.reporting
    _, first, last, fields = _span(manager, day, start, end)
    if fields.errors:  # never a spreadsheet of days nobody asked for: the page says what is wrong
        return rotation(manager, day, start, end)
    if format not in ("csv", "xlsx"):
        return page.redirect("/console/rotation", flash=page.t("exports.err_format"), flash_kind="error")
    boards, _ = day_boards(reporting, site, page.state.store.list_users(site.id), first, last)
    sheets = _sheets(page.t, fairness(boards), boards, reporting.people(site.id))
    stem = f"fieldsync-{site.id}-rotation-{first.isoformat()}-{last.isoformat()}"
    if format == "xlsx":
        body, media = xlsx_bytes(sheets), _XLSX
    else:
        body, media = csv_bytes(sheets[0]), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{stem}.{format}"',
                                                     "Cache-Control": "no-store"})
