"""The tablet's strings of the rotation board (排班), merged into ``i18n.STRINGS``."""

from __future__ import annotations

ROTATION_STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    # withdrawal reasons the tablet gives itself (data.reason_code; shared.records.WITHDRAWAL_REASON_CODES)
    "rotation.withdraw_reason.reception_moved": ("到访登记已更正为{rep}接待", "walk-in corrected: received by {rep}"),
    # undo a reception (issue 12): today's receptions by this desk
    "rotation.undo.last": ("撤销上一位接待", "Undo last reception"),
    "rotation.undo.list": ("今日本机接待", "Today's receptions here"),
    "rotation.undo.title": ("撤销接待", "Undo a reception"),
    "rotation.undo.row": ("{time}　{kind}　{name}", "{time}  {kind}  {name}"),
    "rotation.undo.turn": ("第 {turn} 轮", "turn {turn}"),
    "rotation.undo.visit.new": ("新客户", "new customer"),
    "rotation.undo.visit.returning": ("老客户", "returning customer"),
    "rotation.undo.visit.designated": ("指定接待", "asked for"),
    "rotation.undo.one": ("撤销", "Undo"),
    "rotation.undo.withdrawn": ("已撤销：{reason}", "Undone: {reason}"),
    "rotation.undo.empty": ("今天本机还没有接待记录。", "This tablet has recorded no reception today."),
    "rotation.undo.none": ("今天本机没有可撤销的接待。", "There is no reception of today on this tablet to undo."),
    "rotation.undo.confirm": ("撤销这次接待？\n{row}\n撤销后排班不再计入（各平板同步后一致）；对应的来访登记不变，如接待人有误请在“同步”中更正。",
                              "Undo this reception?\n{row}\nThe board stops counting it (every tablet after it "
                              "syncs); the walk-in registration stays as it is: correct its rep on the Sync screen "
                              "if it is wrong."),
    "rotation.undo.reason": ("撤销原因", "Why undo it"),
    "rotation.undo.apply": ("确认撤销", "Undo it"),
    "rotation.undo.done": ("已撤销{name}的接待（{kind}），排班已更新，等待同步。",
                           "Undone: {name}'s reception ({kind}); the board is updated, waiting to sync."),
    "rotation.title": ("排班 / 轮流接待", "Rotation board"),
    "rotation.next": ("下一位接待：{rep}", "Next up: {rep}"),
    "rotation.nobody": ("无人在岗", "Nobody present"),
    "rotation.present": ("在岗", "Present"),
    "rotation.absent": ("缺席", "Absent"),
    "rotation.assigned": ("经理派出", "Manager's errand"),
    "rotation.row": ("{pos}. {name}  接待 {counted}  不计 {uncounted}  补接 {owed}  失轮 {lost}",
                     "{pos}. {name}  turns {counted}  uncounted {uncounted}  owed {owed}  lost {lost}"),
    "rotation.queue": ("排队：{names}", "Queue: {names}"),
    "rotation.owed": ("补接：{names}", "Turns owed back (补接): {names}"),
    "rotation.owed_one": ("{name} {n} 名", "{name} {n}"),
    "rotation.out": ("不在：{names}", "Out: {names}"),
    "rotation.out_one": ("{name}（{status}）", "{name} ({status})"),
    "rotation.lunch_start": ("午餐值班开始", "Lunch: desk duty"),
    "rotation.lunch_end": ("午餐结束", "Lunch over"),
    "rotation.lunch_desk": ("午餐值班：{names}（轮班前两位）", "Lunch desk: {names} (first two in the order)"),
    "rotation.clash": ("第 {turn} 轮被两台平板同时分配：{names}。接待都有效，请经理核对。",
                       "Turn {turn} was given twice by two tablets: {names}. Both receptions stand; the manager "
                       "will check."),
    "rotation.clash_order": ("第 {turn} 轮未按顺序：应由 {expected} 接待，接待的是 {names}。接待有效，请经理核对。",
                             "Turn {turn} out of order: {expected} was next, {names} received. The reception stands; "
                             "the manager will check."),
    "rotation.late": ("因其他平板迟到的记录：{days} 的 {n} 条排班记录在次日开始后才上传，计入当天，但不改变今天的顺序，今天的接待不因此被判为未按顺序。",
                      "Late records from another tablet: {n} rotation record(s) of {days} were uploaded after the "
                      "next day had begun. They count on their day but do not change today's order, so today's "
                      "receptions are not judged out of order because of them."),
    "rotation.not_saved": ("排班未保存：{reason}。请再试一次。", "The rotation change was not saved: {reason}. Try again."),
    "type.rotation": ("排班", "rotation"),
    "rotation.rules": ("规则：缺席失去本轮；经理派出保留优先，空几轮补接几名；老客户与指定客户不计轮次；原销售不在由排在最后者义务接待。",
                       "Rules: absent loses the turn; on manager's errand keeps priority and is made up; returning and "
                       "asked-for customers are not counted; the last in order receives on duty for an absent rep."),
    "rotation.event.present": ("到岗", "present"),
    "rotation.event.absent": ("缺席", "absent"),
    "rotation.event.assigned": ("经理派出", "manager's errand"),
    "rotation.event.receive": ("接待", "reception"),
    "rotation.event.lunch_start": ("午餐值班开始", "lunch desk starts"),
    "rotation.event.lunch_end": ("午餐结束", "lunch over"),
}
