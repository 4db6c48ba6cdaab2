"""Console strings: 待确认归属, the held records (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "nav.held": ("待确认归属", "Held records"),
    "held.title": ("待确认归属", "Records waiting for you to confirm their owner"),
    "held.hint": ("这些记录已保存，但上传人当天查看陌生号码已超过上限，归属暂不计入：不建客户、不计保护期，"
                  "直到您确认。确认一条，即把该号码所有待确认的记录按录入时间计入归属。",
                  "These records are stored, but their pusher named more unknown numbers today than allowed, so "
                  "their ownership waits: no customer and no protection window until you confirm. Confirming one "
                  "takes every held record of that phone into ownership by capture time."),
    "held.count": ("共 {total} 条待确认", "{total} held"),
    "held.none": ("没有待确认归属的记录。", "No records are waiting for their owner to be confirmed."),
    "held.captured": ("录入时间", "Captured"),
    "held.pusher": ("上传人", "Pushed by"),
    "held.waited": ("已等待", "Waiting"),
    "held.confirm_one": ("确认此条", "Confirm this one"),
    "held.confirm_phone": ("确认该号码全部 {n} 条", "Confirm all {n} of this phone"),
    "held.done": ("已确认 {count} 条，号码 {phones} 的归属已按录入时间计入。",
                  "{count} confirmed; the owner of {phones} is now decided by capture time."),
    "held.already": ("这些记录已由 {name} 于 {time} 确认，归属已计入，无需再次确认。",
                     "These records were already confirmed by {name} at {time}; their owner is counted. "
                     "Nothing more to do."),
    "held.already_released": ("这些记录已不在待确认之列：同一号码的另一条记录被确认时，它们的归属已一并计入。",
                              "These records are no longer held: they were released when another record of the "
                              "same phone was confirmed. Nothing more to do."),
    "held.nothing": ("请选择要确认的记录。", "Pick the records to confirm first."),
    "held.pages": ("第 {first}–{last} 条，共 {total} 条（第 {n} / {pages} 页）",
                   "Rows {first}–{last} of {total} (page {n} of {pages})"),
    "held.bad_page": ("“{text}”不是页码，请填写 1 或更大的整数；已显示第 1 页。",
                      "“{text}” is not a page number: use a whole number from 1. Showing page 1."),
    "held.past_last": ("没有第 {asked} 页：共 {pages} 页，已显示最后一页。",
                       "There is no page {asked} (the last is {pages}): showing the last one."),
    "held.in_range": ("本期间有 {n} 条记录（其中来访 {walkins} 条、来电 {calls} 条）的归属待经理确认；它们已计入上表。",
                      "{n} records of this range (walk-ins {walkins}, calls {calls}) are held for their owner to be "
                      "confirmed; they are counted above."),
    "held.in_range_link": ("去确认", "Confirm them"),
    "held.badge_label": ("{n} 条待确认", "{n} held"),
    "director.col.held": ("待确认归属", "Held for the manager"),
}
