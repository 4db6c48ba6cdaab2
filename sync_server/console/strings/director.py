"""The sales director's pages and the approval notes on a manager's dispute (issue 12, R10)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "director.approvals": ("审批", "Approvals"),
    "director.approvals_intro": ("项目经理提交的裁定在此等待您审批，最早提交的在前。批准后裁定生效；退回时请写明理由，项目经理会看到。",
                                 "Decisions the site managers sent for your approval, oldest first. An approved "
                                 "decision takes effect; when you return one, write why: the manager reads it."),
    "director.queue_empty": ("没有待审批的裁定。", "No decision awaits your approval."),
    "director.proposed": ("提交", "Sent"),
    "director.proposed_owner": ("拟归属", "Proposed owner"),
    "director.approve": ("批准", "Approve"),
    "director.return": ("退回", "Return"),
    "director.return_reason": ("退回理由（退回时必填）", "Reason for returning (needed to return)"),
    "director.approved": ("已批准，裁定已生效。", "Approved: the decision has taken effect."),
    "director.open_approval": ("去审批", "Review"),
    "director.already_reviewed": ("{author} 提交的这条裁定（拟归属 {owner}）已由 {who} 于 {time} {verdict}，本次操作未做任何更改。"
                                  "它已不在待审批列表中；如有疑问，请在“各案场争议”中查看该争议。",
                                  "This decision by {author} (proposed owner {owner}) was already {verdict} by {who} "
                                  "at {time}; nothing was changed now. It has left the approval queue; open the "
                                  "dispute under Disputes by site to read it."),
    "director.kept_reason": ("您填写的退回理由（未保存，可复制）：{reason}", "The reason you wrote (not saved; copy it): {reason}"),
    "director.returned": ("已退回，项目经理会看到退回理由。", "Returned: the manager will read your reason."),
    "director.disputes": ("各案场争议", "Disputes by site"),
    "director.approval_state": ("审批", "Approval"),
    "director.compare": ("各案场对比", "Sites side by side"),
    "director.site": ("案场", "Site"),
    "director.col.registrations": ("来访登记", "Registrations"),
    "director.col.visitors": ("来访客户", "Visitors"),
    "director.col.first_visitors": ("首次来访", "First visits"),
    "director.col.calls": ("来电", "Calls"),
    "director.col.small_deposits": ("小定", "Small deposits"),
    "director.col.large_deposits": ("大定", "Large deposits"),
    "director.col.contracts": ("签约", "Contracts"),
    "director.col.contract_amount": ("签约金额（元）", "Contract amount (yuan)"),
    "director.col.open_disputes": ("待裁定争议", "Open disputes"),
    "director.col.awaiting": ("待审批", "Awaiting approval"),
    "approval.awaiting": ("待审批", "Awaiting approval"),
    "approval.already_awaiting": ("{author} 于 {time} 提交的裁定正在等待销售总监审批（见下方），本次裁定未保存。"
                                  "总监批准或退回后才能再次裁定；您填写的内容保留在下方。",
                                  "A decision by {author} at {time} already awaits the sales director's approval "
                                  "(shown below); yours was not recorded. You can decide again once the director "
                                  "approves or returns it; what you wrote is kept below."),
    "approval.approved": ("已批准", "Approved"),
    "approval.returned": ("已退回", "Returned"),
    "approval.verb.approved": ("批准", "approved"),  # after "已由 {who} 于 {time}" (QA of issue 12 L2: 已…已批准)
    "approval.verb.returned": ("退回", "returned"),
    "approval.submitted": ("裁定已提交销售总监审批；批准前仍按规则归属。",
                           "Decision sent for the sales director's approval; until then the rule's owner stands."),
    "approval.proposed_by": ("{author} 于 {time} 提交", "Sent by {author} at {time}"),
    "approval.rule_owner_stands": ("销售总监批准前，客户仍按规则归 {owner}。",
                                   "Until the sales director approves, the customer stays with {owner}, the rule's owner."),
    "approval.returned_by": ("销售总监 {director} 于 {time} 退回了 {author} 提交的裁定，请重新裁定。",
                             "The sales director {director} returned the decision {author} sent, at {time}; decide again."),
    "approval.return_reason": ("退回理由", "Reason for returning"),
    "approval.returned_decision": ("被退回的裁定", "The returned decision"),
    "approval.approved_by": ("本裁定经销售总监 {director} 于 {time} 批准。",
                             "The sales director {director} approved this decision at {time}."),
}
