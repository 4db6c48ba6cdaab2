"""Console strings: the deal funnel and the 周/月来人来电统计成交状况分析表 (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "funnel.title": ("成交漏斗", "Deal funnel"),
    "funnel.help": ("来访客户按人计（同一客户在几台平板上登记只算一位）；来访人数按每位客户每天一次计；"
                    "小定、大定、签约按成交单计，金额单位为元。",
                    "Visitors are people (one customer registered on three tablets is one visitor); "
                    "people in the party count once per customer and day; deposits and contracts count "
                    "deal records; amounts in yuan."),
    "funnel.week_label": ("第{week}周 {span}", "Week {week}, {span}"),
    "funnel.week_title": ("周来人来电统计成交状况分析表（{week}）", "Weekly visitors, calls and deals ({week})"),
    "funnel.month_title": ("月来人来电统计成交状况分析表（{year}年{month}月）",
                           "Monthly visitors, calls and deals ({year}-{month:02d})"),
    "funnel.week_sheet": ("周报表 {week}", "{week}"),
    "funnel.month_sheet": ("月报表 {year}年{month}月", "Month {year}-{month:02d}"),
    "funnel.analysis": ("周/月来人来电统计成交状况分析表", "Weekly and monthly analysis"),
    "funnel.weekly": ("周报表", "Weekly table"),
    "funnel.monthly": ("月报表", "Monthly table"),
    "funnel.previous": ("上一期", "Previous"),
    "funnel.next": ("下一期", "Next"),
    "funnel.day_of": ("日期", "Day"),
    "funnel.download": ("下载 XLSX", "Download XLSX"),
    "funnel.weekday.0": ("周一", "Mon"),
    "funnel.weekday.1": ("周二", "Tue"),
    "funnel.weekday.2": ("周三", "Wed"),
    "funnel.weekday.3": ("周四", "Thu"),
    "funnel.weekday.4": ("周五", "Fri"),
    "funnel.weekday.5": ("周六", "Sat"),
    "funnel.weekday.6": ("周日", "Sun"),
    "funnel.day": ("日期", "Day"),
    "funnel.week": ("周", "Week"),
    "funnel.by_rep": ("按售楼员", "By rep"),
    "funnel.no_rep": ("（未指定售楼员）", "(no rep)"),
    "funnel.col.calls": ("来电", "Calls"),
    "funnel.col.registrations": ("来访登记", "Registrations"),
    "funnel.col.visitors": ("来访客户", "Visitors"),
    "funnel.col.first_visitors": ("首访客户", "First-time visitors"),
    "funnel.col.people": ("来访人数", "People"),
    "funnel.col.small_deposits": ("小定", "Small deposits"),
    "funnel.col.small_deposit_amount": ("小定金额", "Small deposit amount"),
    "funnel.col.large_deposits": ("大定", "Large deposits"),
    "funnel.col.large_deposit_amount": ("大定金额", "Large deposit amount"),
    "funnel.col.contracts": ("签约", "Contracts"),
    "funnel.col.contract_amount": ("签约金额", "Contract amount"),
    "funnel.col.cancellations": ("退订", "Cancellations"),
    "funnel.col.cancelled_amount": ("退订金额", "Cancelled amount"),
    "funnel.col.unit_changes": ("换房", "Unit changes"),
    "funnel.rate.small": ("小定率", "To small deposit"),
    "funnel.rate.large": ("大定率", "To large deposit"),
    "funnel.rate.contract": ("签约率", "To contract"),
    "funnel.rate.overall": ("成交率", "Visitor to contract"),
    "funnel.by_rep_help": ("同一位客户登记在几位售楼员名下时（例如争议未裁定），在每位售楼员名下各计一次，"
                           "因此各售楼员之和可能大于合计；合计按人计。",
                           "A customer registered for several reps (an undecided dispute, say) counts once under "
                           "each of them, so the reps' rows can add up to more than the total; the total counts "
                           "people."),
    "funnel.rates_help": ("小定率＝小定÷首访客户；大定率＝大定÷小定；签约率＝签约÷大定；成交率＝签约÷首访客户。"
                          "“—”表示前一阶段为零。",
                          "To small deposit = small deposits ÷ first-time visitors; to large deposit = large ÷ "
                          "small deposits; to contract = contracts ÷ large deposits; visitor to contract = "
                          "contracts ÷ first-time visitors. “—”: nothing at the stage before."),
    "funnel.err_period": ("没有这种报表：请选择周报表或月报表。", "No such table: choose the weekly or the monthly table."),
    "deal.event.stage": ("成交", "reached"),
    "deal.event.cancellation": ("退订", "cancellation"),
    "deal.event.unit_change": ("换房", "unit change"),
    "deal.title": ("成交记录", "Deals"),
    "deal.stage": ("阶段", "Stage"),
    "deal.unit": ("房号", "Unit"),
    "deal.previous_unit": ("原房号", "Previous unit"),
    "deal.amount": ("金额（元）", "Amount (yuan)"),
    "deal.what": ("事项", "What"),
    "deal.reason": ("原因", "Reason"),
    "deal.repeat": ("重复登记，统计计一次", "recorded again: counted once"),
    "deal.forked": ("已由更晚的更正替代，不计入统计", "a later correction counts instead"),
}
