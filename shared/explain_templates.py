"""The words of the explanation steps (``shared.explain``), in 简体中文 and English: one template
per step key and language, filled with the step's params at render time; the older forms of
steps stored before a param existed (``WITHOUT_DEVICE``, ``WITHOUT_TIME``) and how a time an
impossible clock stands for is told (``UNKNOWN_TIME``). Chinese uses full-width punctuation
(tests/test_chinese_punctuation.py)."""

from __future__ import annotations

__all__ = ["TEMPLATES", "WITHOUT_DEVICE", "WITHOUT_TIME", "UNKNOWN_TIME", "UNKNOWN_TIME_SHORT"]

TEMPLATES: dict[str, dict[str, str]] = {
    "first_registration": {
        "en": "first registration {time} on {device}, received by {rep}",
        "zh": "{time} 在 {device} 首次登记，接待人 {rep}",
    },
    "earliest_known": {
        "en": "registration {time} on {device}, received by {rep}: the earliest known when the manager decided "
              "({first}'s earlier one arrived later)",
        "zh": "{time} 在 {device} 登记，接待人 {rep}，为裁定时已知的最早登记（{first} 的更早登记后来才同步）",
    },
    "earliest_known_several": {  # {first}: the names of every rep whose earlier registration came late
        "en": "registration {time} on {device}, received by {rep}: the earliest known when the manager decided "
              "(earlier registrations by {first} arrived later)",
        "zh": "{time} 在 {device} 登记，接待人 {rep}，为裁定时已知的最早登记（{first} 的更早登记后来才同步）",
    },
    "registered_again": {
        "en": "registered again {time} on {device}, received by {rep} (an earlier registration lapsed; first "
              "registered {first})",
        "zh": "{time} 在 {device} 再次登记，接待人 {rep}（前次已失效，首次登记 {first}）",
    },
    "protected_until": {
        "en": "protected until {until}",
        "zh": "保护期至 {until}",
    },
    "renewed": {
        "en": "renewed by later visits or follow-ups of {rep} ({count}), the last {time}",
        "zh": "{rep} 之后 {count} 次来访或跟进续期，最近一次 {time}",
    },
    "lapsed": {
        "en": "protection of {rep} lapsed on {until}",
        "zh": "{rep} 的保护期已于 {until} 失效",
    },
    "new_claim_after_lapse": {
        "en": "{rep}'s registration {time} starts a new claim after {previous}'s protection lapsed",
        "zh": "{previous} 的保护期失效后，{rep} 于 {time} 登记，开始新的归属",
    },
    "earlier_wins": {
        "en": "{owner} registered first ({owner_time}); {rep}'s registration {time} does not take the customer",
        "zh": "{owner} 先登记（{owner_time}）；{rep} 于 {time} 的登记不改变归属",
    },
    "earlier_known_wins": {
        "en": "{owner} registered before {rep} ({owner_time}); {rep}'s registration {time} does not take the customer",
        "zh": "{owner} 先于 {rep} 登记（{owner_time}）；{rep} 于 {time} 的登记不改变归属",
    },
    "earlier_wins_deal": {  # a competing deal (QA of issue 15: it read as a registration)
        "en": "{owner} registered first ({owner_time}); {rep}'s deal ({stage}) {time} does not take the customer: "
              "the manager decides",
        "zh": "{owner} 先登记（{owner_time}）；{rep} 于 {time} 的成交（{stage}）不改变归属，由经理裁定",
    },
    "earlier_known_wins_deal": {
        "en": "{owner} registered before {rep} ({owner_time}); {rep}'s deal ({stage}) {time} does not take the "
              "customer: the manager decides",
        "zh": "{owner} 先于 {rep} 登记（{owner_time}）；{rep} 于 {time} 的成交（{stage}）不改变归属，由经理裁定",
    },
    "calls_ignored": {
        "en": "phone inquiries recorded: {count}; they never decide ownership",
        "zh": "已记录 {count} 次来电，来电不作为确定客户归属的依据",
    },
    "duty_reception": {
        "en": "returning customer of {owner} received on duty by {rep} {time}; stays with {owner}",
        "zh": "{owner} 的老客户于 {time} 由 {rep} 义务接待，仍归 {owner}",
    },
    "household_split": {  # {time}: the second claim's (QA of issue 14, N6)
        "en": "household member registered separately by {rep} {time} before a deal; shared 50/50 with {owner}",
        "zh": "夫妻客成交前分别由 {owner}、{rep}（{time}）接待登记，双方各得一半",
    },
    "household_first": {
        "en": "household member registered later by {rep} {time}; the first receiver {owner} keeps the household",
        "zh": "家庭另一方后由 {rep} 于 {time} 接待，以先接待者 {owner} 为准",
    },
    "referral_confirmed": {
        "en": "referred by {referrer} for {day}; confirmed at the visit {time} received by {rep}: commission 30% referrer / 70% {rep}",
        "zh": "{referrer} 介绍，预约 {day} 来访；{time} 来访确认，由 {rep} 接待：佣金介绍人 30%、{rep} 70%",
    },
    "referral_void_no_show": {
        "en": "referral by {referrer} void: the client did not come on {day}",
        "zh": "{referrer} 的介绍登记失效：客户未在约定日 {day} 来访",
    },
    "referral_void_registered": {
        "en": "referral by {referrer} void: {rep} registered the client first ({time})",
        "zh": "{referrer} 的介绍登记无效：{rep} 已先登记该客户（{time}）",
    },
    "company_client": {
        "en": "company client introduced by {referrer}; received by {rep} {time}",
        "zh": "公司客户，由 {referrer} 介绍，{time} 由 {rep} 接待",
    },
    "company_void": {
        "en": "not a company client: the client had registered on site before ({time})",
        "zh": "不视为公司客户：客户此前已到访登记（{time}）",
    },
    "deal": {  # final against registrations (R9); only a manager's hand-over with deals moves it (R10)
        "en": "deal ({stage}) by {rep} {time}; later registrations do not change the owner",
        "zh": "{rep} 于 {time} 成交（{stage}），此后的登记不改变归属",
    },
    "deal_outlasts": {  # R9 across a lapse: another rep's deal stood in the owner's undecided dispute
        "en": "{rep}'s deal {time} stands after {previous}'s protection lapsed: owner {rep}; the dispute waits "
              "for the manager",
        "zh": "{previous} 的保护期失效后，{rep} 于 {time} 的成交仍然有效：归 {rep}；争议待经理裁定",
    },
    "duty_no_owner": {  # R5: a duty reception is never a claim, even with no owner's window standing
        "en": "received on duty by {rep} {time}; a duty reception is not a registration and takes no customer",
        "zh": "{time} 由 {rep} 义务接待；义务接待不属于登记，不确定客户归属",
    },
    "after_deal_ignored": {
        "en": "{rep}'s registration {time} came after {owner}'s deal; the deal stands",
        "zh": "{rep} 于 {time} 的登记在 {owner} 成交之后，不改变归属",
    },
    "decision": {
        "en": "{author} decided {time}: owner {owner}{split_text}. Reason: {reason}",
        "zh": "{author} 于 {time} 裁定：归 {owner}{split_text}。理由：{reason}",
    },
    "handover": {
        "en": "{author} handed {rep}'s customers over {time} ({method}): owner {to}, protected afresh from then on. "
              "Reason: {reason}",
        "zh": "{author} 于 {time} 将 {rep} 的客户交接（{method}）：归 {to}，自交接起重新计算保护期。理由：{reason}",
    },
    "handover_with_deal": {  # deals too (R9 stays: the deal and its commission are {deal_rep}'s)
        "en": "{author} handed {rep}'s customers over {time} ({method}), deals included: owner {to}; the deal "
              "stays {deal_rep}'s. Reason: {reason}",
        "zh": "{author} 于 {time} 将 {rep} 的客户交接（{method}，含已成交客户）：归 {to}，成交仍记在 {deal_rep} "
              "名下。理由：{reason}",
    },
    "handover_deal_kept": {
        "en": "{author}'s hand-over {time} of {rep}'s customers left this one with {rep}: the customer has a deal, "
              "and the sale stays {rep}'s (deals were not included)",
        "zh": "{author} 于 {time} 交接 {rep} 的客户，此客户已成交，业绩仍归 {rep}（本次交接不含已成交客户）",
    },
    "handover_not_applied": {
        "en": "{author}'s hand-over {time} of {rep}'s customers to {to} did not move this one: it was no longer "
              "{rep}'s protected customer then",
        "zh": "{author} 于 {time} 将 {rep} 的客户交接给 {to}，此客户当时已不在 {rep} 的保护期内，未交接",
    },
    "handover_holds": {
        "en": "{owner} holds the customer by hand-over since {since}; {rep}'s registration {time} does not take "
              "the customer",
        "zh": "{owner} 自 {since} 经交接接手该客户；{rep} 于 {time} 的登记不改变归属",
    },
    "decision_holds": {  # the owner holds by a decision alone: no registration of theirs stands
        "en": "{owner} holds the customer by the decision of {since}; {rep}'s registration {time} does not take "
              "the customer",
        "zh": "{owner} 自 {since} 经裁定归属；{rep} 于 {time} 的登记不改变归属",
    },
    "after_decision": {
        "en": "{rep}'s earlier registration {time} arrived after the decision; it opens a new dispute instead of overturning it",
        "zh": "{rep} 于 {time} 的较早登记在裁定后才同步，另开争议，不推翻原裁定",
    },
    "close_call": {
        "en": "Close call: the claims are {gap} apart, within the clocks' uncertainty; a manager should confirm",
        "zh": "时间接近：两次登记相差{gap}，在时钟误差范围内，请经理确认",
    },
    "unverified_clock": {
        "en": "Unverified clock: {rep}'s tablet time could not be checked against the server (registration {time})",
        "zh": "时钟未核实：{rep} 于 {time} 登记，其平板时间无法与服务器核对",
    },
    "moved_by_correction": {  # R4 keeps the original's time; the manager sees when the number changed
        "en": "{rep}'s registration {time} was corrected to this phone number only on {moved}, after another rep "
              "had registered it; check the correction",
        "zh": "{rep} 于 {time} 的登记，其电话号码于 {moved} 才更正为本号码（在他人登记本号码之后），请核实该更正",
    },
    "clock_disagrees": {  # QA of issue 15: an uptime reading 20 days back taken with no flag
        "en": "Clocks disagree: {rep}'s tablet clock said {captured}, its uptime clock puts the registration at "
              "{time}; the uptime clock counts — a manager should check with the tablet's user",
        "zh": "时钟不符：{rep} 的平板时钟显示 {captured}，按开机计时推算登记时间为 {time}；以开机计时为准，请经理向平板使用人核实",
    },
    "impossible_clock": {
        "en": "Impossible clock: {rep}'s tablet time {captured} cannot be true (before enrolment or after the sync); "
              "the registration's time is unknown, ordered for now by the earliest it could have been; a manager must check it",
        "zh": "时钟不可能：{rep} 的平板时间 {captured} 不可能为真（早于启用或晚于同步），登记时间无法确定，暂按其可能的最早时间排序，请经理核实",
    },
}

WITHOUT_DEVICE: dict[str, dict[str, str]] = {
    "first_registration": {"en": "first registration {time}, received by {rep}", "zh": "{time} 首次登记，接待人 {rep}"},
    "earliest_known": {
        "en": "registration {time}, received by {rep}: the earliest known when the manager decided "
              "({first}'s earlier one arrived later)",
        "zh": "{time} 登记，接待人 {rep}，为裁定时已知的最早登记（{first} 的更早登记后来才同步）",
    },
    "earliest_known_several": {
        "en": "registration {time}, received by {rep}: the earliest known when the manager decided "
              "(earlier registrations by {first} arrived later)",
        "zh": "{time} 登记，接待人 {rep}，为裁定时已知的最早登记（{first} 的更早登记后来才同步）",
    },
    "registered_again": {
        "en": "registered again {time}, received by {rep} (an earlier registration lapsed; first registered {first})",
        "zh": "{time} 再次登记，接待人 {rep}（前次已失效，首次登记 {first}）",
    },
}
"""The templates naming a device, for a step whose ``device`` param is empty: a tablet that
rebuilt a claim from the server's summary does not know the device (issue 14 F3: it said
某台平板, a placeholder). The server always knows it."""

WITHOUT_TIME: dict[str, dict[str, str]] = {
    "household_split": {
        "en": "household member registered separately by {rep} before a deal; shared 50/50 with {owner}",
        "zh": "夫妻客成交前分别由 {owner}、{rep} 接待登记，双方各得一半",
    },
    "household_first": {
        "en": "household member registered later by {rep}; the first receiver {owner} keeps the household",
        "zh": "家庭另一方后由 {rep} 接待，以先接待者 {owner} 为准",
    },
    "unverified_clock": {
        "en": "Unverified clock: {rep}'s tablet time could not be checked against the server",
        "zh": "时钟未核实：{rep} 的平板时间无法与服务器核对",
    },
}
"""The templates of steps that name a claim, as they read before the step carried the claim's
``time`` (QA of issue 14, N6: a household split told no time, so two claims of one minute were
never told to the second): a step stored without ``time`` renders as it always did."""

UNKNOWN_TIME = {"zh": "时间无法确定（平板时钟异常）", "en": "time unknown (tablet clock was wrong)"}
"""How a time a tablet's impossible clock stands for is told (param names in a step's
``clock_unknown``): never as a real time, and never as "the earliest possible time" either."""
UNKNOWN_TIME_SHORT = {"zh": "时间无法确定", "en": "time unknown"}
"""The same words where a template already puts the time in brackets: the reason is left out
rather than nested (（时间无法确定（平板时钟异常））, issue 9 QA)."""
