"""The tablet's strings of the rotation board (排班), merged into ``i18n.STRINGS``."""

from __future__ import annotations

ROTATION_STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "rotation.moved_reason": ("到访登记已更正为{rep}接待", "walk-in corrected: received by {rep}"),
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
