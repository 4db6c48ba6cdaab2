"""Console strings: confirmation (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "confirm.title": ("当日登记审核确认", "Confirm the day's registrations"),
    "confirm.day": ("日期", "Day"),
    "confirm.by_desk": ("按接待台", "By desk"),
    "confirm.by_rep": ("按售楼员", "By rep"),
    "confirm.confirmed": ("已确认", "Confirmed"),
    "confirm.unconfirmed": ("未确认", "Unconfirmed"),
    "confirm.confirmed_by": ("{author} {time} 确认", "confirmed by {author} {time}"),
    "confirm.one": ("确认", "Confirm"),
    "confirm.selected": ("确认所选", "Confirm selected"),
    "confirm.all": ("全部确认", "Confirm all unconfirmed"),
    "confirm.done": ("已确认 {count} 条登记。", "{count} registration(s) confirmed."),
    "confirm.already": ("这条登记已由 {name} 于 {time} 确认，无需再次确认。",
                        "This registration was already confirmed by {name} at {time}; nothing more to do."),
    "confirm.nothing": ("请先勾选要确认的登记。", "Tick the registrations to confirm first."),
    "confirm.withdrawn_apart": ("；另有 {n} 条已撤回，不计入", "; {n} withdrawn, not counted"),
    "confirm.desk_count": ("（{n} 条）", "({n})"),
    "confirm.withdrawn_col": ("已撤回（不计入）", "Withdrawn (not counted)"),
    "confirm.ack_apart": ("；{n} 条撤回待您知悉", "; {n} withdrawals to acknowledge"),
    "confirm.summary": ("共 {total} 条，未确认 {open} 条", "{total} registrations, {open} unconfirmed"),
    "confirm.kind": ("类别", "Kind"),
    "confirm.duty": ("义务接待", "duty reception"),
    "confirm.corrected_badge": ("已更正", "corrected"),
    "confirm.withdrawn_by": ("{author} 于 {time} 撤回，理由：{reason}", "withdrawn by {author} at {time}: {reason}"),
    "confirm.ack_needed": ("已确认的登记被撤回，请确认知悉", "a confirmed registration was withdrawn: acknowledge it"),
    "confirm.acked": ("{author} {time} 已知悉", "acknowledged by {author} {time}"),
    "confirm.corrected": ("确认后更正", "Corrected after confirmation"),
    "confirm.correction": ("{author} 于 {time} 更正：{before} → {after}，请重新确认",
                           "corrected by {author} at {time}: {before} → {after}; confirm it again"),
}
