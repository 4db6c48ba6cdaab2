"""Every string the tablet shows, in 简体中文 and English (one table; switchable at runtime).

``tr(key, lang, **values)`` formats the entry; a missing key shows the key itself so a gap is
visible in screenshots instead of crashing the desk.
"""

from __future__ import annotations

__all__ = ["STRINGS", "LANGUAGES", "tr", "missing_keys", "clock_warning_text", "CLOCK_WARNING_MS"]

from .i18n_deals import DEAL_STRINGS
from .i18n_rotation import ROTATION_STRINGS

LANGUAGES = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "app.title": ("fieldsync 现场登记", "fieldsync field desk"),
    "lang.switch": ("English", "中文"),
    "common.back": ("返回", "Back"),
    "common.save": ("保存", "Save"),
    "common.cancel": ("取消", "Cancel"),
    "common.saved": ("已保存，等待同步", "Saved; waiting to sync"),
    "common.none": ("无", "None"),
    "common.required": ("请填写：{fields}", "Please fill in: {fields}"),
    "common.error": ("未能保存：{message}", "Not saved: {message}"),
    # enrol
    "enrol.title": ("平板登记", "Enrol this tablet"),
    "enrol.server": ("服务器地址", "Server address"),
    "enrol.username": ("用户名", "Username"),
    "enrol.password": ("密码", "Password"),
    "enrol.new_password": ("新密码（至少 8 位，由您自己设定）", "New password (at least 8 characters, your own)"),
    "enrol.device": ("设备名称", "Device name"),
    "enrol.submit": ("登录并登记本机", "Sign in and enrol"),
    "enrol.working": ("正在连接服务器…", "Contacting the server…"),
    "enrol.failed": ("登录失败：{message}", "Sign-in failed: {message}"),
    "enrol.remembered": ("本机已登记为 {device}，用户 {user}", "This tablet is enrolled as {device} for {user}"),
    # home
    "home.title": ("{site} · {name}", "{site} · {name}"),
    "home.walkin": ("来访登记", "Walk-in registration"),
    "home.call": ("来电登记", "Phone inquiry"),
    "home.rotation": ("排班 / 轮流接待", "Rotation board"),
    "home.customers": ("我的客户", "My customers"),
    "home.visit": ("走访报告单", "Site visit report"),
    "home.follow": ("跟进记录", "Follow-up"),
    "home.complaint": ("投诉登记", "Complaint"),
    "home.sync": ("同步", "Sync"),
    "home.signout": ("切换用户", "Switch user"),
    "alert.disputed": ("注意：{name}（{time} 登记，由 {rep} 接待）现有归属争议，按规则暂归 {owner}，等待经理裁定。",
                       "Note: {name} (registered {time}, received by {rep}) is now disputed; the rules give them to "
                       "{owner} until a manager decides."),
    "alert.owner": ("注意：{name}（{time} 登记，由 {rep} 接待）现归 {owner}。",
                    "Note: {name} (registered {time}, received by {rep}) now belongs to {owner}."),
    "alert.more": ("另有 {count} 条类似提醒，见同步页面。", "{count} more like this: see the sync screen."),
    "role.reception": ("接待台", "Reception desk"),
    "role.rep": ("销售员", "Sales rep"),
    "role.manager": ("经理", "Manager"),
    # sync status line
    "status.pending": ("待同步 {pending} 条", "{pending} to sync"),
    "status.rejected": ("被退回 {rejected} 条", "{rejected} rejected"),
    "status.online": ("在线", "online"),
    "status.offline": ("离线", "offline"),
    "status.syncing": ("同步中…", "syncing…"),
    "status.never": ("尚未同步", "never synced"),
    "status.last": ("上次同步 {time}", "last sync {time}"),
    "status.signin": ("需要重新登录", "sign in again"),
    "status.revoked": ("本机已被停用", "tablet revoked"),
    "status.server_error": ("服务器出错（{status}）", "server error ({status})"),
    "clock.off": ("本机时钟与服务器相差{amount}（{direction}）：请在系统设置中校正日期和时间。已登记的记录仍以服务器时间核对，无法核实的时间会交经理确认。",
                  "This tablet's clock is {amount} {direction} the server's: correct the date and time in the "
                  "system settings. Records are still timed by the server; times it cannot verify go to the manager."),
    "clock.ahead": ("偏快", "ahead of"),
    "clock.behind": ("偏慢", "behind"),
    "clock.days": ("{n} 天", "{n} days"),
    "clock.hours": ("{n} 小时", "{n} hours"),
    "clock.minutes": ("{n} 分钟", "{n} minutes"),
    # walk-in
    "walkin.title": ("来访登记", "Walk-in registration"),
    "walkin.phone": ("手机号码", "Mobile phone"),
    "walkin.name": ("客户姓名", "Customer name"),
    "walkin.party": ("来访人数", "Party size"),
    "walkin.source": ("获知渠道", "Heard of us via"),
    "walkin.intent": ("意向等级", "Intent"),
    "walkin.designated": ("指定接待", "Asked for a rep"),
    "walkin.notes": ("备注", "Notes"),
    "walkin.receiver": ("接待人", "Received by"),
    "walkin.register": ("登记", "Register"),
    "walkin.saved": ("已登记 {name}，由 {rep} 接待", "Registered {name}; received by {rep}"),
    "verdict.typing": ("请输入手机号码", "Type the phone number"),
    "verdict.invalid": ("号码无效：请与客户核对", "Not a valid number: check it with the customer"),
    "verdict.new": ("新客户：按排班接待", "New customer: received in rotation"),
    "verdict.returning": ("老客户：属于 {owner}，保护期至 {until}。请转交 {owner}",
                          "Returning customer of {owner}, protected until {until}. Hand over to {owner}"),
    "verdict.deal": ("已成交客户：属于 {owner}。请转交 {owner}", "Customer with a deal: {owner}'s. Hand over to {owner}"),
    "verdict.lapsed": ("保护期已过：原属 {owner}（{until} 失效），按新客户接待",
                       "Protection lapsed: was {owner}'s until {until}; treat as a new customer"),
    "verdict.disputed": ("归属有争议：目前按规则归 {owner}，待经理裁定", "Disputed: {owner} by the rules for now; a manager will decide"),
    "verdict.provisional": ("（本机未同步记录，暂定）", "(includes unsynced records: provisional)"),
    "verdict.similar": ("注意相似姓名：{names}", "Similar names on file: {names}"),
    "turn.turn": ("{rep}（轮到）", "{rep} (next in rotation)"),
    "turn.makeup": ("{rep}（补接）", "{rep} (make-up turn)"),
    "turn.returning": ("{rep}（老客户，不计轮次）", "{rep} (returning customer, not counted)"),
    "turn.duty": ("{rep}（义务接待，{owner} 不在）", "{rep} (on duty for absent {owner})"),
    "turn.designated": ("{rep}（指定接待，不计轮次）", "{rep} (asked for, not counted)"),
    "turn.nobody": ("没有在岗的销售员：请在排班中标记到岗", "No rep present: mark reps present on the rotation board"),
    "source.walk_in": ("路过到访", "Walked in"),
    "source.passing_by": ("途经", "Passing by"),
    "source.friend": ("朋友介绍", "A friend"),
    "source.newspaper": ("报纸", "Newspaper"),
    "source.outdoor": ("户外广告", "Outdoor ads"),
    "source.online": ("网络", "Online"),
    "source.tv_radio": ("电视电台", "TV / radio"),
    "source.event": ("活动", "Event"),
    "source.old_customer": ("老客户介绍", "Existing customer"),
    "source.other": ("其他", "Other"),
    # call
    "call.title": ("来电登记", "Phone inquiry"),
    "call.topic": ("咨询内容", "Topic"),
    "call.note": ("来电不作为确定客户归属的依据", "Calls never decide ownership"),
    "call.saved": ("来电已记录", "Call recorded"),
    # customers
    "customers.title": ("我的客户", "My customers"),
    "due.title": ("今日待跟进", "Due today"),
    "step.title": ("投诉处理进度", "Complaint progress"),
    "step.summary": ("{name}：{content}（{severity}，{limit} 个工作日内办结）",
                     "{name}: {content} ({severity}, close within {limit} working days)"),
    "step.which": ("本次完成的步骤", "Step done now"),
    "step.responded": ("已响应", "Responded"),
    "step.solution_offered": ("已给方案", "Solution offered"),
    "step.resolved": ("已解决", "Resolved"),
    "step.satisfaction_checked": ("已回访", "Satisfaction checked"),
    "step.closed": ("关闭", "Closed"),
    "step.satisfaction": ("客户满意度（回访时选择）", "Satisfaction (for the satisfaction check)"),
    "step.sat_satisfied": ("满意", "Satisfied"),
    "step.sat_neutral": ("一般", "Neutral"),
    "step.sat_dissatisfied": ("不满意", "Dissatisfied"),
    "step.note": ("说明", "Note"),
    "step.change_severity": ("调整投诉级别（一般⇄重大）", "Change severity (general ⇄ major)"),
    "step.extend": ("批准延至 {days} 个工作日", "Approve {days} working days"),
    "step.saved": ("投诉进度已记录", "Complaint progress recorded"),
    "due.summary": ("今日待跟进 {due} 位，逾期 {overdue} 位，未结投诉 {complaints} 件。点按客户，为其填写跟进记录。",
                    "{due} due today, {overdue} overdue, {complaints} open complaints. Tap a customer to log a follow-up."),
    "due.none": ("今天没有待跟进或逾期的客户。", "No customer is due or overdue today."),
    "due.row": ("{name}  {phone}  等级 {grade}  应跟进 {due}（{when}，{why}）",
                "{name}  {phone}  grade {grade}  due {due} ({when}, {why})"),
    "due.today": ("今天", "today"),
    "due.overdue_days": ("逾期 {days} 天", "{days} days overdue"),
    "due.reason.grade": ("按等级", "by grade"),
    "due.reason.tier": ("按客户层级", "by tier"),
    "due.reason.follow_up_date": ("上次约定的日期", "the date set last time"),
    "due.reason.first_revisit": ("成交后首次回访", "first revisit after the deal"),
    "due.complaints": ("未结投诉", "Open complaints"),
    "due.no_complaints": ("没有未结投诉。", "No open complaints."),
    "due.complaint_row": ("{name}：{content}（{severity}）  下一时限：{step} {at}",
                          "{name}: {content} ({severity})  next deadline: {step} {at}"),
    "due.step.respond": ("响应", "respond"),
    "due.step.first_solution": ("初步方案", "first solution"),
    "due.step.result": ("反馈结果", "result"),
    "due.step.close": ("办结", "close"),
    "due.step.satisfaction": ("满意度回访", "satisfaction check"),
    "due.provisional": ("（节假日安排未公布，暂按周一至周五计算）", " (holiday schedule not yet published: counted Monday to Friday)"),
    "customers.row": ("{name}  {phone}  等级 {grade}  上次联系 {last}  应跟进 {due}",
                      "{name}  {phone}  grade {grade}  last {last}  due {due}"),
    "customers.overdue": ("已逾期", "overdue"),
    "customers.empty": ("暂无客户", "No customers yet"),
    "customers.pending": ("待同步", "unsynced"),
    "customers.hint": ("点按客户，为其填写跟进记录", "Tap a customer to log a follow-up"),
    # visit report
    "visit.title": ("客户走访报告单", "Site visit report"),
    "visit.organisation": ("客户单位", "Customer organisation"),
    "visit.address": ("地址", "Address"),
    "visit.legal": ("法人代表", "Legal representative"),
    "visit.date": ("走访日期", "Visit date"),
    "visit.quality": ("质量评价", "Quality"),
    "visit.service": ("服务评价", "Service"),
    "visit.awareness": ("产品知名度", "Product awareness"),
    "visit.suggestions": ("其他建议", "Other suggestions"),
    "visit.contact": ("主要联系人", "Main contact"),
    "visit.contact_title": ("职务", "Title"),
    "visit.contact_phone": ("电话", "Phone"),
    "visit.contact_mobile": ("手机", "Mobile"),
    "visit.signature": ("客户签字", "Customer signature"),
    "visit.signer": ("签字人", "Signed by"),
    "visit.clear": ("重签", "Clear"),
    "visit.score": ("得分 {score}", "score {score}"),
    "visit.saved": ("走访报告已保存", "Visit report saved"),
    "visit.unsigned": ("请客户在框内签字", "Ask the customer to sign in the box"),
    "rating.非常优良": ("非常优良", "Excellent"), "rating.优良": ("优良", "Very good"), "rating.良好": ("良好", "Good"),
    "rating.一般": ("一般", "Fair"), "rating.合格": ("合格", "Acceptable"), "rating.不合格": ("不合格", "Unacceptable"),
    "rating.不好": ("不好", "Poor"), "rating.恶劣": ("恶劣", "Very poor"), "rating.非常驰名": ("非常驰名", "Very famous"),
    "rating.驰名": ("驰名", "Famous"), "rating.知名度高": ("知名度高", "Well known"),
    "rating.知名度较高": ("知名度较高", "Fairly well known"), "rating.知名": ("知名", "Known"),
    "rating.知道": ("知道", "Heard of"), "rating.不知道": ("不知道", "Unknown"),
    # follow-up
    "follow.title": ("客户跟进记录", "Follow-up record"),
    "follow.method": ("方式", "Method"),
    "follow.phone": ("电话", "Phone"), "follow.visit": ("拜访", "Visit"), "follow.message": ("短信/微信", "Message"),
    "follow.contact": ("联系人", "Contact"),
    "follow.content": ("跟进内容", "What was discussed"),
    "follow.feedback": ("反馈或需求", "Feedback or need"),
    "follow.next": ("下一步", "Next action"),
    "follow.next_on": ("下次日期（YYYY-MM-DD）", "Next date (YYYY-MM-DD)"),
    "follow.saved": ("跟进已记录", "Follow-up recorded"),
    "follow.for_customer": ("为该客户填写：", "For this customer:"),
    "follow.need_customer": ("请先填写客户姓名和手机号码", "Fill in the customer's name and phone first"),
    # complaint
    "complaint.title": ("投诉登记", "Complaint"),
    "complaint.content": ("投诉内容", "Complaint"),
    "complaint.contact": ("联系方式", "Contact"),
    "complaint.handler": ("处理人", "Handler"),
    "complaint.severity": ("级别", "Severity"),
    "complaint.general": ("一般投诉", "General"), "complaint.major": ("重大投诉", "Major"),
    "complaint.deadlines": ("1 小时内响应，4 小时内给出方案，24 小时内给出结果，3 天后回访满意度",
                            "Respond within 1 hour, a solution within 4 hours, a result within 24 hours, a satisfaction check after 3 days"),
    "complaint.saved": ("投诉已登记", "Complaint recorded"),
    # sync screen
    "sync.title": ("同步", "Sync"),
    "sync.now": ("立即同步", "Sync now"),
    "sync.summary": ("待同步 {pending} 条 · 被退回待处理 {rejected} 条", "{pending} waiting · {rejected} rejected to handle"),
    "sync.last_error": ("上次问题：{error}", "Last problem: {error}"),
    "sync.last_success": ("上次成功：{time}", "Last success: {time}"),
    "sync.empty": ("所有记录均已同步", "Everything is synced"),
    "sync.progress": ("已同步 {done} / 约 {about} 条", "{done} of about {about} changes"),
    "sync.progress_hint": ("首次同步数据较多，请保持联网，完成前请勿关闭应用。",
                           "The first sync brings a lot of data: stay connected and keep the app open until it ends."),
    "sync.row": ("#{seq} {type} · {name} · {rep} · {time}", "#{seq} {type} · {name} · {rep} · {time}"),
    "sync.state.pending": ("待同步", "waiting"),
    "sync.state.rejected": ("被退回", "rejected"),
    "sync.state.held": ("服务器出错，暂存本机，会单独重试", "held after a server error; retried on its own"),
    "sync.state.accepted": ("已接收", "accepted"),
    "sync.state.local": ("仅存本机（服务器未收过原记录）", "kept on this tablet (the server never had the original)"),
    "sync.state.superseded": ("已更正/撤回", "corrected / withdrawn"),
    "sync.confirmed": ("已确认：{name} {time}", "confirmed by {name} {time}"),
    "sync.reason": ("原因：{reason}", "Reason: {reason}"),
    "sync.correct": ("更正", "Correct"),
    "sync.withdraw": ("撤回", "Withdraw"),
    "sync.withdraw_reason": ("撤回原因", "Why withdraw"),
    "sync.corrected": ("已提交更正", "Correction saved"),
    "sync.withdrawn": ("已提交撤回", "Withdrawal saved"),
    "sync.void": ("作废", "Void"),
    "sync.void_reason": ("作废原因", "Why void it"),
    "sync.voided": ("已作废，排班板不再计入此记录", "Voided: the rotation board no longer counts this record"),
    "type.walkin": ("来访", "walk-in"), "type.call": ("来电", "call"), "type.visit_report": ("走访", "visit report"),
    "type.follow_up": ("跟进", "follow-up"), "type.complaint": ("投诉", "complaint"), "type.referral": ("介绍", "referral"),
    "type.deal": ("成交", "deal"), "type.withdrawal": ("撤回", "withdrawal"),
    "err.offline": ("服务器暂时无法连接，记录保存在本机", "The server cannot be reached; records stay on this tablet"),
    "err.auth": ("登录已失效，请重新登录", "Sign in again"),
    "err.blocked.device_revoked": ("本机已被经理停用，暂时不能同步。未上传的记录仍保存在本机，不会丢失：请联系经理，然后在登记页重新登录，记录会随后上传。",
                                   "A manager revoked this tablet, so it cannot sync. Unsent records stay on this "
                                   "tablet and are not lost: talk to the manager, then sign in again on the enrol "
                                   "screen and they will upload."),
    "err.blocked.user_inactive": ("本账号已被停用，不能再接收资料。停用前登记的记录照常上传并计入；如需继续使用，请联系经理重新启用。",
                                  "This user was deactivated, so this tablet receives nothing more. Records "
                                  "registered before still upload and count; to go on, ask the manager to "
                                  "reactivate the user."),
    "err.server": ("服务器出错（{status}{code}）：记录保存在本机，会自动重试；若一直出现，请告知管理员。",
                   "Server error ({status}{code}): records stay on this tablet and are retried; tell the "
                   "administrator if it keeps happening."),
    "err.unknown_rep": ("接待人不是本案场的销售员", "The receiving rep is not a rep of this site"),
    "err.rep_inactive": ("登记时该销售员已停用，请改选在职的销售员", "The receiving rep had been deactivated when this was captured; choose an active rep"),
    "err.user_inactive": ("登记时本账号已停用，请由在职同事登记", "This user had been deactivated when this was captured; ask an active colleague to record it"),
    "err.invalid_phone": ("手机号码无效", "The phone number is not valid"),
    "err.date_in_past": ("不能早于跟进当天，请选择今天或以后的日期。", "cannot be before the day of the follow-up; pick today or a later day."),
    "err.landline_walkin": ("这是固定电话：本案场来访登记只收手机号码，请向客户询问手机号码后更正这条登记。",
                            "this is a landline: this site registers walk-ins by mobile number; ask the customer "
                            "for their mobile and correct the registration."),
    "err.missing_field": ("缺少必填项", "A required field is missing"),
    "err.invalid_value": ("填写的值不在允许范围内", "A value is not allowed"),
    "err.unknown_record": ("更正的原记录服务器不认识", "The record it corrects is unknown to the server"),
    "err.forbidden_type": ("此角色不能提交该类记录", "This role may not submit this kind of record"),
    "err.invalid_time": ("平板的日期或时间不对：请在系统设置中校准日期和时间，然后重新登记。",
                         "The tablet's date or time is wrong: set them in the tablet's settings, then capture again."),
    "err.too_long": ("内容太长：请删减后再保存。", "The text is too long: shorten it and save again."),
    "err.wrong_type": ("填写的内容格式不对：请重新填写。", "A value has the wrong form: enter it again."),
    "err.unknown_field": ("记录中有本应用不认识的项目：请更新应用。", "The record has a field this app does not know: update the app."),
    "err.invalid_id": ("记录编号无效：请联系技术支持。", "The record's id is not valid: report it to support."),
    "err.unknown_type": ("服务器不认识这类记录：请更新应用。", "The server does not know this kind of record: update the app."),
    "err.not_stored": ("服务器未能保存这条记录（服务器故障），记录仍保存在本机：请联系技术支持。",
                       "The server could not store this record (a server fault); it stays on this tablet: report it."),
    "store.refused": ("未保存：{reasons}", "Not saved: {reasons}"),
    # issue 14: messages that name the field by its label, give the range and say what to do
    "form.not_saved": ("未能保存：{message}", "Not saved: {message}"),
    "form.saved_n": ("{what}（本次第 {n} 条，{time}）{name}", "{what} (no. {n} this session, {time}) {name}"),
    "walkin.saved_n": ("已登记（今天第 {n} 位）{name}，由 {rep} 接待，{time}",
                       "Registered (no. {n} today) {name}; received by {rep} at {time}"),
    "walkin.visit": ("来访类型", "Visit"),
    "visit.ratings": ("评价", "Ratings"),
    "follow.next_date": ("下次日期", "Next date"),
    "follow.grade": ("调整客户等级（不选则不变）", "Change the grade (leave for no change)"),
    "follow.tier": ("客户层级（不选则不变）", "Customer tier (leave for no change)"),
    "follow.tier_vip": ("VIP", "VIP"), "follow.tier_core": ("核心", "Core"), "follow.tier_regular": ("普通", "Regular"),
    "field.captured_at": ("登记时间", "Time of capture"),
    "msg.missing": ("请填写{label}。", "Fill in {label}."),
    "msg.range": ("{label}须在 {min} 到 {max} 之间，请重新填写。", "{label} must be from {min} to {max}; enter it again."),
    "msg.choose": ("{label}：请从列表中选择。", "{label}: choose one from the list."),
    "msg.too_long": ("{label}太长，请删减后再保存。", "{label} is too long: shorten it and save again."),
    "msg.too_long_limit": ("{label}太长：最多 {limit} 字，请删减后再保存。",
                           "{label} is too long: at most {limit} characters; shorten it and save again."),
    "msg.wrong_type": ("{label}格式不对，请重新填写。", "{label} has the wrong form; enter it again."),
    "msg.invalid_phone": ("{label}无效：请与客户核对号码；外国号码请加“+”和国家代码。",
                          "{label} is not valid: check the number with the customer; write a foreign number with + "
                          "and its country code."),
    "msg.landline": ("{label}：{number} 是固定电话，本案场来访登记只收手机号码，请向客户询问手机号码。",
                     "{label}: {number} is a landline; this site registers walk-ins by mobile number only, so ask "
                     "the customer for their mobile."),
    "msg.unknown_rep": ("接待人不是本案场在职的销售员：请改选排班上的销售员；如需新增销售员，请告知经理。",
                        "The receiving rep is not an active rep of this site: choose a rep from the rotation board, "
                        "or ask the manager to add the user."),
    "msg.server_said": ("服务器拒收（{code}），服务器说明：{message}", "Refused by the server ({code}): {message}"),
    "signin.failed": ("登录失败：{message}", "Sign-in failed: {message}"),
    "signin.bad_credentials": ("用户名或密码不对：请检查后重试。", "Wrong username or password: check both and try again."),
    "signin.too_many_attempts": ("密码错误次数过多：请等几分钟再试，或请经理重设密码。",
                                 "Too many wrong passwords: wait a few minutes and try again, or ask the manager to "
                                 "reset the password."),
    "signin.user_inactive": ("该账号已停用：请经理重新启用后再登录。", "This user is deactivated: ask the manager to reactivate it."),
    "signin.device_revoked": ("本机已被撤销登记：请经理处理后重新登录。", "This tablet was revoked: ask the manager, then sign in again."),
    "signin.password_change_required": ("经理已重置您的密码：请在“新密码”栏设置自己的新密码（至少 8 位），连同经理给的临时密码一起提交。",
                                        "A manager reset your password: type your own new password (at least 8 "
                                        "characters) under New password and submit it with the temporary one."),
    "signin.weak_password": ("新密码太短：至少 8 位，请重新输入。", "The new password is too short: at least 8 characters; enter it again."),
    "signin.same_password": ("新密码不能与经理给的临时密码相同，请换一个。",
                             "The new password must differ from the temporary one the manager gave; choose another."),
    "signin.invalid_request": ("填写不完整：请检查用户名、密码和设备名称。", "Something is missing: check the username, password and device name."),
    "signin.invalid_json": ("填写不完整：请检查用户名、密码和设备名称。", "Something is missing: check the username, password and device name."),
    "signin.unreachable": ("无法连接服务器：请检查服务器地址和网络后重试。", "The server cannot be reached: check its address and the network, then try again."),
    "signin.server_error": ("服务器出错（{status}）：请稍后重试；若一直出现，请告知管理员。",
                            "Server error ({status}): try again later; tell the administrator if it keeps happening."),
    "phone.kind.mobile": ("手机号码", "mobile number"),
    "phone.kind.landline": ("固定电话", "landline"),
    "phone.kind.other": ("其他号码", "other number"),
    "verdict.kind": ("（{kind}）", " ({kind})"),
    "verdict.landline": ("这是固定电话 {number}：来访登记需要客户的手机号码，请向客户询问。",
                         "{number} is a landline: a walk-in needs the customer's mobile number; ask for it."),
    "verdict.known_name": ("已填入登记过的姓名：{name}", "Filled in the name on file: {name}"),
    "call.lookup": ("来电号码查询：", "Caller look-up: "),
    "today.title": ("今日来访", "Today's visitors"),
    "today.counts": ("今日　来人 {walkins}　来电 {calls}", "Today: {walkins} walk-ins, {calls} calls"),
    "today.row": ("{time}　{type}　{name}　{phone}　{rep}", "{time}  {type}  {name}  {phone}  {rep}"),
    "today.empty": ("今天还没有登记", "Nothing registered today yet"),
    "find.title": ("查找客户", "Find a customer"),
    "find.hint": ("姓名、拼音首字母、手机号码或尾号", "Name, pinyin initials, phone or its last four digits"),
    "find.how": ("例如：张伟、zw、zhangwei、13800138000、8000", "For example: 张伟, zw, zhangwei, 13800138000, 8000"),
    "find.none": ("没有找到：请换个写法，或输入手机号码", "Nobody found: try another spelling, or type the phone"),
    "find.row": ("{name}　{phone}　归属：{owner}", "{name}  {phone}  owner: {owner}"),
    "find.own": ("　（本机登记）", "  (registered on this tablet)"),
    "find.no_owner": ("暂无", "none yet"),
    "card.title": ("客户卡片", "Customer card"),
    "card.summary": ("{phone}　归属：{owner}　{status}", "{phone}  owner: {owner}  {status}"),
    "card.status.protected": ("保护期至 {until}", "protected until {until}"),
    "card.status.deal": ("已成交", "deal"),
    "card.status.disputed": ("归属有争议，待经理裁定", "disputed; a manager will decide"),
    "card.status.lapsed": ("保护期已过", "protection lapsed"),
    "card.status.unknown": ("本机记录，尚未同步", "on this tablet only, not yet synced"),
    "card.history": ("来访、来电、跟进和投诉", "Visits, calls, follow-ups and complaints"),
    "card.row": ("{time}　{type}　{rep}", "{time}  {type}  {rep}"),
    "card.own": ("　（本机：{state}）", "  (this tablet: {state})"),
    "card.no_records": ("本机没有该客户的记录", "This tablet holds no records of this customer"),
    "date.pick": ("选择日期", "Pick a date"),
    "date.none": ("未选择", "Not set"),
    "date.clear": ("清除", "Clear"),
    "date.today": ("今天", "Today"),
    "date.month": ("{year} 年 {month} 月", "{year}-{month:02d}"),
    "date.weekdays": ("一 二 三 四 五 六 日", "Mo Tu We Th Fr Sa Su"),
}


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The string for ``key`` in ``lang`` (zh/en), formatted with ``values``."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[0 if lang.startswith("zh") else 1]
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError):
        return text


CLOCK_WARNING_MS = 10 * 60_000
"""A wall clock this far off the server's is shown as a problem (the server's own check on an
unverified clock allows 15 min; issue 8 item 7)."""


def clock_warning_text(offset_ms: int | None, t) -> str:
    """The home/sync screens' warning for a wall clock ``offset_ms`` ahead of the server (negative:
    behind), in the language of ``t`` (``t(key, **values)``); "" when near enough or unknown."""
    if offset_ms is None or abs(offset_ms) < CLOCK_WARNING_MS:
        return ""
    minutes = abs(offset_ms) // 60_000
    if minutes >= 2 * 24 * 60:
        amount = t("clock.days", n=minutes // (24 * 60))
    elif minutes >= 120:
        amount = t("clock.hours", n=minutes // 60)
    else:
        amount = t("clock.minutes", n=minutes)
    return t("clock.off", amount=amount, direction=t("clock.ahead" if offset_ms > 0 else "clock.behind"))


STRINGS.update(ROTATION_STRINGS)  # 排班: its own module (i18n_rotation.py)
STRINGS.update(DEAL_STRINGS)  # 成交登记: its own module (i18n_deals.py)


def missing_keys(keys: list[str]) -> list[str]:
    return [k for k in keys if k not in STRINGS]
