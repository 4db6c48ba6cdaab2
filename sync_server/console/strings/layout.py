"""Console strings: layout (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("fieldsync 经理台", "fieldsync manager console"),
    "nav.disputes": ("归属争议", "Disputes"),
    "nav.confirm": ("审核确认", "Day confirmation"),
    "nav.customers": ("客户", "Customers"),
    "nav.numbers": ("来人来电统计", "Numbers"),
    "nav.care": ("投诉与跟进", "Complaints and follow-ups"),
    "nav.devices": ("设备", "Devices"),
    "nav.exports": ("导出", "Exports"),
    "nav.signout": ("退出登录", "Sign out"),
    "nav.lang": ("English", "中文"),
    "calendar.stale": ("投诉期限是按{recorded}算的，服务器现装的节假日日历是{installed}：期限可能不准。请管理员运行 "
                       "fieldsync-server care rebuild --site {site} 重算（见 docs/working_calendar.md）。",
                       "Complaint deadlines were computed with {recorded}; the server now has {installed}, so they "
                       "may be wrong. Ask the administrator to run fieldsync-server care rebuild --site {site} "
                       "(see docs/working_calendar.md)."),
    "calendar.unrecorded": ("未记录版本的日历", "a calendar whose version was not recorded"),
    "common.colon": ("：", ": "),
    "common.party": ("{n}人", "party of {n}"),
    "common.none": ("无", "none"),
    "common.submit": ("提交", "Submit"),
    "common.show": ("查看", "Show"),
    "common.from": ("起始日期", "From"),
    "common.to": ("截止日期", "To"),
    "common.total": ("合计", "Total"),
    "common.back": ("返回", "Back"),
    "common.you_wrote": ("您填写的内容（未保存，可复制）", "What you wrote (not saved; copy it)"),
    "common.rep": ("售楼员", "Rep"),
    "common.device": ("设备", "Device"),
    "common.customer": ("客户", "Customer"),
    "common.phone": ("电话", "Phone"),
    "common.time": ("时间", "Time"),
    "common.date": ("日期", "Date"),
    "common.source": ("来源", "Source"),
    "common.type": ("类型", "Type"),
    "common.details": ("内容", "Details"),
    "common.status": ("状态", "Status"),
    "common.empty": ("暂无记录", "Nothing to show"),
    "error.csrf": ("页面已过期，请刷新后重试。", "This page has expired; reload it and try again."),
    "error.control_characters": ("地址里有看不见的控制字符（例如 %00）：请从地址栏删去后重试，或从菜单重新进入本页。",
                                 "The address holds invisible control characters (such as %00): remove them from "
                                 "the address bar and try again, or open the page from the menu."),
    "error.http": ("请求未能完成（HTTP {status}）。请返回上一页重试。", "The request could not be completed (HTTP {status}). Go back and try again."),
    "error.not_found": ("找不到该记录，可能属于其他项目。", "Not found; it may belong to another site."),
    "error.bad_day": ("日期“{text}”无法识别：请按 年-月-日 填写 2000 至 2099 年之间的日期（如 2026-12-01）。这里显示的是默认日期。",
                      "The date \u201c{text}\u201d was not understood: write a day from 2000 to 2099 as year-month-day "
                      "(e.g. 2026-12-01). The default days are shown."),
    "error.bad_choice": ("“{text}”不是可选的值：请从列表中选择。这里显示的是默认值。",
                         "\u201c{text}\u201d is not one of the choices: pick one from the list. The default is shown."),
    "error.range_reversed": ("截止日期 {end} 早于起始日期 {start}：请把较早的日期填在“起始日期”，较晚的填在“截止日期”。这里显示的是默认范围。",
                             "The end {end} is before the start {start}: put the earlier day in From and the later "
                             "in To. The default range is shown."),
    "error.range_too_long": ("{start} 至 {end} 共 {days} 天，本页一次最多显示 {max} 天：请缩短日期范围。这里显示的是默认范围。",
                             "{start} to {end} is {days} days; this page shows at most {max} days at a time: "
                             "shorten the range. The default range is shown."),
    "error.bad_page": ("页码“{text}”无效：请填写 1 至 {pages} 之间的整数。这里显示的是第 {shown} 页。",
                       "The page number \u201c{text}\u201d is not valid: give a whole number from 1 to {pages}. "
                       "Page {shown} is shown."),
    "error.in_field": ("请按各输入框旁的提示修改后再显示。", "Correct the fields as noted beside them, then show again."),
    "login.unsaved": ("登录已失效，刚才提交的内容未保存：请登录后回到原页面重新填写并提交。",
                      "Your session had ended, so what you just submitted was not saved: sign in, then fill it "
                      "in and submit it again on the page you come back to."),
    "confirm.no_day": ("没有指定日期，未确认任何登记：请在页面上选择日期后再确认。",
                       "No day was given, so nothing was confirmed: pick the day on the page and confirm again."),
    "confirm.bad_day": ("日期“{text}”无法识别，未确认任何登记：请在页面上选择日期后再确认。",
                        "The date \u201c{text}\u201d was not understood, so nothing was confirmed: pick the day on the "
                        "page and confirm again."),
}
