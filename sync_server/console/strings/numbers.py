"""Console strings: numbers (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "numbers.title": ("来人来电统计表", "Visitors and calls"),
    "numbers.period": ("统计周期", "Period"),
    "numbers.day": ("日", "Day"),
    "numbers.week": ("周", "Week"),
    "numbers.month": ("月", "Month"),
    "numbers.visitors": ("来访登记", "Walk-ins"),
    "numbers.calls": ("来电", "Calls"),
    "numbers.by_period": ("按周期", "By period"),
    "numbers.by_source": ("按来源", "By source"),
    "numbers.by_rep": ("按售楼员", "By rep"),
    "numbers.first": ("首次来访", "First visits"),
    "numbers.return": ("再次来访", "Return visits"),
    "numbers.disputes": ("争议", "Disputes"),
    "numbers.disputes_opened": ("新增争议", "Opened"),
    "numbers.disputes_resolved": ("已裁定", "Resolved"),
    "numbers.ending": ("7 天内到期的保护期", "Protection ending in the next 7 days"),
    "numbers.fairness": ("各售楼员接待量（轮流接待是否均衡）", "Walk-ins per rep (is the rotation fair?)"),
    "numbers.deals": ("成交记录", "Deal records"),  # every deal record: 小定、大定、签约、退订、换房 (the funnel splits them)
}
