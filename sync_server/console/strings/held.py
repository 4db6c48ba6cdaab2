"""Console strings: 待确认归属, the held records (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "nav.held": ("待确认归属", "Held records"),
    "held.title": ("待确认归属", "Records waiting for you to confirm their owner"),
    "held.hint": ("这些记录已保存，但上传人 24 小时内上传的记录中看不到的号码已超过上限，归属暂不计入：不建客户、不计保护期，"
                  "直到您确认。确认一条，即把该号码所有待确认的记录按录入时间计入归属。",
                  "These records are stored, but their pusher named more numbers they cannot see in 24 hours than allowed, so "
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
    "held.what_release_does": ("确认＝回答上传人的查询：确认后即建客户，上传人的平板会拿到该号码已有客户的标记，也就知道了号码归谁。"
                               "接待台在活动日批量登记时应当确认；若同一人短时间内上传大量陌生号码、看起来像在逐个试号码，"
                               "请选择“不予确认”：记录照样保留，但永不计入归属，上传人只会看到“经理不予确认”及您填写的原因。",
                               "Confirming answers the pusher's look-up: a customer is made, and the pusher's tablet "
                               "receives the mark of the existing customer, so it learns who owns the number. Confirm a "
                               "desk's records of a busy promotion day; if one person pushed many unknown numbers in a "
                               "short time, as if trying numbers one by one, choose “Dismiss”: the records are kept, but "
                               "never count for ownership, and the pusher only sees “not accepted by the manager” with "
                               "your reason."),
    "held.by_pusher": ("按上传人", "By pusher"),
    "held.pusher_devices": ("平板", "Tablets"),
    "held.pusher_count": ("待确认", "Held"),
    "held.show_pusher": ("只看此人的", "Show only theirs"),
    "held.all_pushers": ("显示全部上传人", "Show every pusher"),
    "held.refused_elsewhere": ("{name} 另有 {n} 条记录已被经理不予确认：记录保留，归属不计入，故不在此列表；每条的不予确认人、时间和原因见对应客户的页面。",
                               "{n} more records pushed by {name} were refused by a manager: kept, never counted for ownership, so not listed here; who refused each, when and why is on its customer's page."),
    "held.filtered": ("只显示 {name} 上传的 {n} 条待确认记录。", "Showing the {n} held records pushed by {name} only."),
    "held.unknown_pusher": ("没有名为“{text}”的人员；已显示全部上传人的记录。",
                            "No person is called “{text}”: showing every pusher's records."),
    "held.release_pusher": ("确认此人全部 {n} 条", "Confirm all {n} of theirs"),
    "held.dismiss_pusher": ("此人全部 {n} 条不予确认", "Dismiss all {n} of theirs"),
    "held.dismiss_one": ("不予确认", "Dismiss"),
    "held.dismiss_phone": ("该号码全部 {n} 条不予确认", "Dismiss all {n} of this phone"),
    "held.dismiss_title": ("不予确认", "Dismiss held records"),
    "held.dismiss_what_one": ("将不予确认 1 条记录：{type}，{name}，{phone}，上传人 {pusher}。",
                              "1 record will be dismissed: {type}, {name}, {phone}, pushed by {pusher}."),
    "held.dismiss_what_phone": ("将不予确认号码 {phone} 的全部 {n} 条待确认记录。",
                                "All {n} held records of {phone} will be dismissed."),
    "held.dismiss_what_pusher": ("将不予确认 {name} 上传的全部 {n} 条待确认记录（{phones} 个号码）。",
                                 "All {n} held records pushed by {name} ({phones} phones) will be dismissed."),
    "held.dismiss_effect": ("不予确认后：记录仍然保存（可在历史和导出中看到，标为“不予确认”），但永不建客户、不计保护期、"
                            "不影响任何人的归属，以后也不能再确认；它们从本页和提醒数中消失。上传人下次同步时会看到"
                            "“经理不予确认”和您填写的原因。",
                            "After dismissing: the records stay stored (in the history and the exports, marked "
                            "“dismissed”), but they never make a customer, start no protection window and affect "
                            "nobody's ownership, and can never be confirmed later; they leave this page and the "
                            "badge. The pusher's tablet shows “not accepted by the manager” and your reason at its "
                            "next sync."),
    "held.reason": ("原因（必填，上传人会看到）", "Reason (required; the pusher will see it)"),
    "held.reason_required": ("请填写不予确认的原因，上传人会在平板上看到它。",
                             "Write why you dismiss them: the pusher sees it on the tablet."),
    "held.reason_control": ("原因中含有控制字符或不可见的排版字符（多为粘贴带入）：请重新输入原因。",
                            "The reason contains control or invisible direction characters (often pasted along "
                            "with text): type it again."),
    "held.reason_too_long": ("原因最多 {n} 个字，请精简后再提交。", "The reason may have at most {n} characters: shorten it."),
    "held.dismiss_submit": ("确定不予确认 {n} 条", "Dismiss {n} record(s)"),
    "held.cancel": ("返回，不做任何操作", "Go back without doing anything"),
    "held.dismissed_done": ("已不予确认 {count} 条（{pushers}）；记录保留，归属永不计入。",
                            "{count} dismissed ({pushers}); the records are kept, their ownership never counts."),
    "held.already_dismissed": ("这些记录已由 {name} 于 {time} 不予确认（原因：{reason}），不能再确认；记录保留，归属永不计入。",
                               "These records were dismissed by {name} at {time} (reason: {reason}) and cannot be "
                               "confirmed; they are kept, their ownership never counts."),
    "held.nothing_held_pusher": ("{name} 已没有待确认的记录：可能刚由其他经理处理过。",
                                 "{name} has no held records any more: another manager may just have handled them."),
    "held.release_title": ("确认此人的全部记录", "Confirm all of this person's records"),
    "held.release_what_pusher": ("将确认 {name} 上传的全部 {n} 条待确认记录（{phones} 个号码），按录入时间计入归属。",
                                 "All {n} held records pushed by {name} ({phones} phones) will be confirmed and "
                                 "their owners decided by capture time."),
    "held.release_warning": ("注意：确认后，{name} 的平板会知道这 {phones} 个号码中哪些已是客户、归谁。"
                             "只有在这些确实是真实来访或来电时才确认。",
                             "Careful: once confirmed, {name}'s tablet learns which of these {phones} numbers "
                             "are customers already, and whose. Confirm only if they are real visits or calls."),
    "held.release_submit": ("确定确认 {n} 条", "Confirm {n} record(s)"),
    "held.in_range": ("本期间有 {n} 条记录（其中来访 {walkins} 条、来电 {calls} 条）的归属待经理确认；它们已计入上表。",
                      "{n} records of this range (walk-ins {walkins}, calls {calls}) are held for their owner to be "
                      "confirmed; they are counted above."),
    "held.in_range_link": ("去确认", "Confirm them"),
    "held.badge_label": ("{n} 条待确认", "{n} held"),
    "director.col.held": ("待确认归属", "Held for the manager"),
}
