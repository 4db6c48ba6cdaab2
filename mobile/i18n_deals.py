"""The tablet's strings of the deal form (成交登记) and the deals on the customer card, merged
into ``i18n.STRINGS``. Words from 001 §14(三)–(六): 小定, 大定, 签约, 退订, 换房, 房号."""

from __future__ import annotations

DEAL_STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "home.deal": ("成交登记", "Record a deal"),
    "deal.title": ("成交登记", "Record a deal"),
    "deal.event": ("登记事项", "What happened"),
    "deal.event.stage": ("成交", "Deal"),
    "deal.event.cancellation": ("退订", "Cancellation"),
    "deal.event.unit_change": ("换房", "Unit change"),
    "deal.stage": ("成交阶段", "Stage"),
    "deal.stage.small_deposit": ("小定", "Small deposit"),
    "deal.stage.large_deposit": ("大定", "Large deposit"),
    "deal.stage.contract": ("签约", "Contract"),
    "deal.unit": ("房号", "Unit"),
    "deal.new_unit": ("新房号", "New unit"),
    "deal.previous_unit": ("原房号", "Previous unit"),
    "deal.amount": ("金额（元）", "Amount (yuan)"),
    "deal.refund": ("退还金额（元，可不填）", "Amount given back (yuan, optional)"),
    "deal.reason": ("退订原因", "Reason for cancelling"),
    "deal.rep": ("经办售楼员：{rep}", "Sales rep: {rep}"),
    "deal.no_rep": ("经办售楼员：请用售楼员账号登录后登记", "Sales rep: sign in as a sales rep to record a deal"),
    "deal.last": ("上次成交：{deal}", "Last deal: {deal}"),
    "deal.none_yet": ("本机尚无该客户的成交记录", "This tablet holds no deal of this customer"),
    "deal.saved": ("已保存{what}：{name}，{detail}（本次第 {n} 条，{time}），等待同步。",
                   "Saved {what}: {name}, {detail} (no. {n} this session, {time}); waiting to sync."),
    "deal.what.stage": ("成交登记", "the deal"),
    "deal.what.cancellation": ("退订", "the cancellation"),
    "deal.what.unit_change": ("换房", "the unit change"),
    # one deal, as the card and the form's "last deal" line show it
    "deal.row.stage": ("{stage}　{unit}　{amount} 元", "{stage}  {unit}  {amount} yuan"),
    "deal.row.unit_change": ("换房（{stage}）　由 {previous} 换至 {unit}　{amount} 元",
                             "unit change ({stage})  from {previous} to {unit}  {amount} yuan"),
    "deal.row.cancellation": ("退订（{stage}　{unit}）　退还 {amount} 元　原因：{reason}",
                              "cancelled ({stage}  {unit})  {amount} yuan given back  reason: {reason}"),
    "card.deals": ("成交记录", "Deals"),
    "card.deal_row": ("{time}　{deal}　{rep}", "{time}  {deal}  {rep}"),
    "card.no_deals": ("暂无成交记录", "No deals yet"),
    "card.record_deal": ("成交登记", "Record a deal"),
    # the amount as typed (services/deals.parse_amount); said after the field's label
    "err.amount_negative": ("不能为负数，请填写 0 或以上的金额。", "cannot be negative; enter 0 or more."),
    "err.amount_format": ("请只填写数字，千位可用逗号分隔，例如 1,200,000。", "enter digits only, thousands may be "
                          "separated by commas, e.g. 1,200,000."),
    "err.amount_cents": ("最多两位小数（到分），请重新填写。", "at most two decimals (fen); enter it again."),
    "err.amount_too_large": ("金额过大，请核对后重新填写。", "too large; check it and enter it again."),
}
