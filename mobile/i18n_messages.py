"""The tablet's strings of the sync screen, the server's refusals, problems named by their field, sign-in and look-up messages, merged into ``i18n.STRINGS`` (split out of ``i18n.py`` by
responsibility; no key changed)."""

from __future__ import annotations

MESSAGE_STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    # sync screen
    "sync.title": ("同步", "Sync"),
    "sync.now": ("立即同步", "Sync now"),
    "sync.summary": ("待同步 {pending} 条 · 被退回待处理 {rejected} 条", "{pending} waiting · {rejected} rejected to handle"),
    "sync.other_author": ("其中 {count} 条是 {name} 在本机登记的：以其本人身份上传；若一直未上传，请其在本机重新登录。",
                          "Captured here by {name}: {count:record|records}, sent as theirs; if they stay unsent, "
                          "ask {name} to sign in on this tablet again."),
    "sync.last_error": ("上次问题：{error}", "Last problem: {error}"),
    "sync.status_line": ("上次同步：{time} · {pending} 条待发送", "Last sync: {time} · {pending} waiting to send"),
    "sync.empty": ("所有记录均已同步", "Everything is synced"),
    "sync.progress": ("已同步 {done} / 约 {about} 条", "{done} of about {about:change|changes}"),
    "sync.progress_hint": ("首次同步数据较多，请保持联网，完成前请勿关闭应用。",
                           "The first sync brings a lot of data: stay connected and keep the app open until it ends."),
    "sync.withdraws": ("撤回 #{seq} {type}（{what}）", "takes back #{seq} {type} ({what})"),
    "sync.row": ("#{seq} {type} · {name} · {rep} · {time}", "#{seq} {type} · {name} · {rep} · {time}"),
    "sync.state_mark": ("  【{state}】", "  [{state}]"),
    "sync.state.pending": ("待同步", "waiting"),
    "sync.state.rejected": ("被退回", "rejected"),
    "sync.state.held": ("服务器出错，暂存本机，会单独重试", "held after a server error; retried on its own"),
    "sync.state.accepted": ("已接收", "accepted"),
    "sync.owner_withheld": ("归属待经理确认：记录已保存；您账号 24 小时内上传的记录中，自己看不到的号码已达上限，经理确认后显示归属。",
                            "Owner to be confirmed by the manager: the record is saved; records from your account named "
                            "as many numbers you cannot see as 24 hours allow, so the owner shows once the manager "
                            "confirms it."),
    "sync.owner_dismissed": ("经理不予确认（原因：{reason}）：记录已保存，但不计入归属，以后也不会计入。",
                             "Not accepted by the manager (reason: {reason}): the record is saved, but it counts for "
                             "no owner, now or later."),
    "sync.owner_dismissed_by": ("{by} 于 {time} 不予确认（原因：{reason}）：记录已保存，但不计入归属，以后也不会计入。",
                                "Not accepted by {by} on {time} (reason: {reason}): the record is saved, but it counts "
                                "for no owner, now or later."),
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
    "err.not_own_record": ("这条更正或撤回针对的是别人登记的记录：只有登记人本人、前台（前台的记录）或经理可以更改，请找他们处理。",
                           "This corrects or withdraws a record another user captured: only its author, the desk (for "
                           "the desk's records) or a manager may change it; ask them."),
    # the tablet's own check before it offers 更正/撤回 (mobile.services.record_rights, shared.supersede_rights)
    "rights.not_yours": ("这条记录由{author}录入，只有录入人、前台（前台的记录）或经理可以{action}。",
                         "{author} entered this record; only its author, the desk (for the desk's records) or a "
                         "manager can {action}."),
    "rights.not_yours_unknown": ("这条记录不是您录入的，只有录入人、前台（前台的记录）或经理可以{action}。",
                                 "You did not enter this record; only its author, the desk (for the desk's records) "
                                 "or a manager can {action}."),
    "rights.not_yours_deal": ("这笔成交属于{rep}（由{author}录入），只有{rep}本人、录入人或经理可以{action}。",
                              "This deal is {rep}'s (entered by {author}); only {rep}, its author or a manager can "
                              "{action}."),
    "rights.not_yours_deal_unknown": ("这笔成交属于{rep}，只有{rep}本人、录入人或经理可以{action}。",
                                      "This deal is {rep}'s; only {rep}, its author or a manager can {action}."),
    "rights.action.correct": ("更正", "correct it"),
    "rights.action.withdraw": ("撤回", "withdraw it"),
    "rights.action.correct_or_withdraw": ("更正或撤回", "correct or withdraw it"),
    "rights.action.void": ("作废", "void it"),
    "rights.action.undo": ("撤销", "undo it"),
    "rights.action.cancellation": ("退订", "cancel it"),
    "rights.action.unit_change": ("换房", "change its unit"),
    "rights.action.cancel_or_change": ("退订或换房", "cancel it or change its unit"),
    "err.already_superseded": ("这条记录已被更正或撤回，请对同步页上它的最新版本操作。",
                               "This record was already corrected or withdrawn; act on its newest version on the Sync screen."),
    "err.offline": ("服务器暂时无法连接，记录保存在本机。", "The server cannot be reached; records stay on this tablet."),
    "err.auth": ("登录已失效，请重新登录。", "Sign in again."),
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
    "err.unknown_rep": ("接待人不是本案场的售楼员。", "The receiving rep is not a rep of this site."),
    "err.rep_inactive": ("登记时{rep}已停用，请改选在职的售楼员。", "{rep} had been deactivated when this was captured; choose an active rep."),
    "err.rep_not_started": ("登记时{rep}尚未到岗（{day} 起在岗），请改选当天在岗的售楼员。", "{rep} was not on duty yet when this was captured (on duty from {day}); choose a rep on duty that day."),
    "err.rep_not_started_undated": ("登记时{rep}尚未到岗，请改选当天在岗的售楼员。", "{rep} was not on duty yet when this was captured; choose a rep on duty that day."),
    "msg.named_rep": ("售楼员{name}", "The rep {name}"),
    "msg.unnamed_rep": ("该售楼员", "The receiving rep"),
    "msg.named_user": ("本账号（{name}）", "This tablet's user {name}"),
    "msg.unnamed_user": ("本账号", "This tablet's user"),
    "err.id_reused": ("服务器已有同一编号而内容不同的记录，请用更正另存为新记录。", "The server already holds a different record with this number; save the change with Correct as a new record."),
    "err.seq_reused": ("本机记录编号出错，请先联系技术支持，再继续登记。", "This tablet's record numbering is broken; contact support before capturing more."),
    "err.clock_inconsistent": ("本机时钟读数异常，请重新登记这条记录。", "This tablet's clock reading is corrupt; capture the record again."),
    "err.wrong_device": ("这条记录属于另一台平板，请在那台平板上同步。", "This record belongs to another tablet; sync it on that tablet."),
    "err.user_inactive": ("登记时{user}已停用，请由在职同事登记。", "{user} had been deactivated when this was captured; ask an active colleague to record it."),
    "err.invalid_phone": ("手机号码无效。", "The phone number is not valid."),
    "err.date_in_past": ("不能早于跟进当天，请选择今天或以后的日期。", "cannot be before the day of the follow-up; pick today or a later day."),
    "err.landline_walkin": ("这是固定电话：本案场来访登记只收手机号码，请向客户询问手机号码后更正这条登记。",
                            "this is a landline: this site registers walk-ins by mobile number; ask the customer "
                            "for their mobile and correct the registration."),
    "err.missing_field": ("缺少必填项。", "A required field is missing."),
    "err.invalid_value": ("填写的值不在允许范围内。", "A value is not allowed."),
    "err.unknown_record": ("更正的原记录服务器不认识。", "The record it corrects is unknown to the server."),
    "err.type_changed": ("更正不能改变记录类型：请撤回原记录，再按正确的类型重新登记。",
                         "A correction keeps the record's type: withdraw the original record and register it anew "
                         "as the right kind."),
    "err.not_withdrawable": ("撤回记录不能再撤回或更正：如需恢复原记录，请重新登记。",
                             "A withdrawal cannot be withdrawn or corrected: to bring the record back, register it "
                             "anew."),
    "err.not_a_deal": ("这条退订或换房关联的不是成交（而是来访、投诉或另一条退订）：请在这位客户的成交上重新登记，这条记录请撤回。",
                       "This cancellation or unit change names a record that is not a deal (a visit, a complaint or "
                       "another cancellation): record it on the customer's deal, and withdraw this one."),
    "err.other_customers_deal": ("这条退订或换房关联的是另一位客户的成交：请选这位客户自己的成交，或更正客户。",
                                 "This cancellation or unit change names another customer's deal: pick this "
                                 "customer's own deal, or correct the customer."),
    "err.refund_exceeds_deal": ("退还金额超过所退成交的金额（该成交为 {deal} 元）：请与客户核对退还金额，最多为成交金额。",
                                "The amount given back is more than the deal it cancels (the deal was {deal} yuan): "
                                "check the amount with the customer; it is at most the deal's amount."),
    "err.refund_exceeds_deal_unknown": ("退还金额超过所退成交的金额：请与客户核对退还金额，最多为成交金额。",
                                        "The amount given back is more than the deal it cancels: check the amount "
                                        "with the customer; it is at most the deal's amount."),
    "err.self_reference": ("这条记录关联的是它自己：请撤回这条记录，再重新登记。",
                           "This record names itself as the record it corrects or is about: withdraw it and "
                           "record it again."),
    "err.supersedes_cycle": ("这几条记录互相更正，没有一条是原记录：请撤回这几条记录，再重新登记。",
                             "These records correct each other in a circle, so none is the original: withdraw them "
                             "and record them again."),
    # the tablet's own check on 成交登记 (services.deals.stage_repeat), said before saving: nothing
    # was saved, so nothing to withdraw; the server never sends this code (shared/errors.py)
    "err.deal_stage_recorded": ("这套房的这一阶段已为该客户登记过：请更正原记录，或先登记退订。",
                                "This unit's stage is already recorded for the customer: correct that record, or "
                                "record the cancellation first."),
    # the tablet's own check on 成交登记 (services.deals.cancellation_repeat), said before saving
    "err.deal_cancellation_recorded": ("这笔成交已登记过退订：无需再次登记；如退订有误，请更正原退订记录。",
                                       "This deal's cancellation is already recorded: no need to record it again; "
                                       "if it is wrong, correct that cancellation."),
    "err.not_a_complaint": ("这一步关联的不是投诉（而是成交、来访或另一步处理）：请在投诉列表中点这位客户的投诉后再记录。",
                            "This step names a record that is not a complaint (a deal, a visit or another step): "
                            "tap the customer's complaint in the list and record the step there."),
    "err.other_customers_complaint": ("这一步是另一位客户的投诉：请选这位客户自己的投诉，或更正客户。",
                                      "This step names another customer's complaint: pick this customer's own "
                                      "complaint, or correct the customer."),
    "err.step_before_opening": ("这一步的时间早于投诉登记时间：请检查平板的日期和时间，或选对投诉。",
                                "This step is dated before the complaint was opened: check the tablet's date and "
                                "time, or pick the right complaint."),
    "err.complaint_withdrawn": ("这条投诉已撤回，不能再记录处理进度：如客户仍有投诉，请重新登记投诉；这条记录请撤回。",
                                "This complaint was withdrawn, so no step is recorded on it: if the customer still "
                                "complains, record a new complaint, and withdraw this record."),
    "err.complaint_closed": ("这条投诉在此之前已结案，结案后不再记录处理进度：如客户再次投诉，请重新登记投诉；否则请检查平板的日期和时间。",
                             "This complaint was closed before this step was captured, and nothing follows a "
                             "closing: if the customer complains again, record a new complaint; else check the "
                             "tablet's date and time."),
    "err.satisfaction_before_resolved": ("满意度回访的时间早于投诉解决时间：满意度在问题解决后回访，请在解决之后再记录，或检查平板的日期和时间。",
                                         "This satisfaction check is dated before the complaint was resolved: "
                                         "satisfaction is checked after the problem is solved; record it after the "
                                         "resolution, or check the tablet's date and time."),
    "err.extension_manager_only": ("延期（最多七个工作日）须经经理批准：请经理在经理的平板上批准，这条记录请撤回。",
                                   "A longer limit (at most 7 working days) needs the manager's approval: ask the "
                                   "manager to approve it on the manager's tablet, and withdraw this record."),
    "err.forbidden_type": ("此角色不能提交该类记录。", "This role may not submit this kind of record."),
    "err.rotation_desk_only": ("排班只能由前台或经理记录（前台管理轮流接待，经理派出由经理安排）：此记录未计入排班，请告知前台登记。",
                               "Only the reception desk or a manager records the rotation board (the desk keeps the "
                               "rotation, the manager assigns errands): this change was not counted; ask the desk to "
                               "record it."),
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
    # counted on this tablet (its own walk-ins of the site's day): a second desk counts its own (QA of issue 12, N3)
    "walkin.saved_n": ("已登记（本机今天第 {n} 位）{name}，由 {rep} 接待，{time}",
                       "Registered (no. {n} today on this tablet) {name}; received by {rep} at {time}"),
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
    "msg.stacked_marks": ("{label}里有一个字母叠了太多附加符号（最多 {limit} 个），无法正常显示：请重新输入。",
                          "{label} stacks too many accents on one letter (the limit is {limit}); it cannot be "
                          "drawn: type it again."),
    "msg.board_day": ("排班日期 {day} 不对（须在 {first} 至 {last} 之间）：平板的日期有误，请在系统设置中校准日期和时间后重试。",
                      "The rotation day {day} is wrong (it must be from {first} to {last}): the tablet's date is "
                      "wrong; correct the date and time in the system settings and try again."),
    # a time or date not in the wire's one shape (shared.timeutil, docs/protocol.md "Times"; QA of issue 15)
    "msg.time_shape": ("{label}须为 2026-11-22T10:00:00.000+08:00 这样的时间（年-月-日、字母 T、时分秒，末尾为 Z 或时区）："
                       "本应用只这样写时间，请更新应用；若仍出现，请告知技术支持。",
                       "{label} must be a time like 2026-11-22T10:00:00.000+08:00 (YYYY-MM-DDTHH:MM:SS, then Z or the "
                       "offset ±HH:MM): this app only writes times so; update it, and tell support if it happens again."),
    "msg.time_shape_unlabelled": ("时间须为 2026-11-22T10:00:00.000+08:00 这样的时间（年-月-日、字母 T、时分秒，末尾为 Z 或时区）："
                                  "本应用只这样写时间，请更新应用；若仍出现，请告知技术支持。",
                                  "A time must be like 2026-11-22T10:00:00.000+08:00 (YYYY-MM-DDTHH:MM:SS, then Z or the "
                                  "offset ±HH:MM): this app only writes times so; update it, and tell support if it "
                                  "happens again."),
    "msg.date_shape": ("{label}须为 2026-11-22 这样的日期（年-月-日，半角数字）：请重新选择日期。",
                       "{label} must be a date like 2026-11-22 (YYYY-MM-DD): pick the date again."),
    "msg.date_shape_unlabelled": ("日期须为 2026-11-22 这样的日期（年-月-日，半角数字）：请重新选择日期。",
                                  "A date must be like 2026-11-22 (YYYY-MM-DD): pick the date again."),
    "msg.image_damaged": ("{label}的图片已损坏，无法显示：请清除后重新签字。",
                          "The image of {label} is damaged and cannot be shown: clear it and sign again."),
    "msg.too_long_limit": ("{label}太长：最多 {limit} 字，请删减后再保存。",
                           "{label} is too long: at most {limit:character|characters}; shorten it and save again."),
    "msg.wrong_type": ("{label}格式不对，请重新填写。", "{label} has the wrong form; enter it again."),
    "msg.invalid_phone": ("{label}无效：请与客户核对号码；外国号码请加“+”和国家代码。",
                          "{label} is not valid: check the number with the customer; write a foreign number with + "
                          "and its country code."),
    "msg.invalid_phone_letter_o": ("{label}里有字母 O：请改为数字 0。", "{label} holds the letter O: type the digit 0 instead."),
    "msg.invalid_phone_letters": ("{label}里有字母“{char}”：号码只有数字，请与客户核对后重新输入。",
                                  "{label} holds the letter “{char}”: a number has digits only; check it with the "
                                  "customer and type it again."),
    "msg.invisible_char": ("看不见的字符 {code}", "an invisible character {code}"),
    "msg.invalid_phone_extension": ("{label}里有分机号（“{char}”）：只填总机或手机号码，分机号请写在备注里。",
                                    "{label} holds an extension (“{char}”): type the main or mobile number only and "
                                    "put the extension in the notes."),
    "msg.invalid_phone_symbol": ("{label}里有“{char}”：号码只能有数字、空格和 + - ( ) . /，请删去后重新输入。",
                                 "{label} holds “{char}”: a number has only digits, spaces and + - ( ) . /; remove "
                                 "it and type the number again."),
    "msg.landline": ("{label}：{number} 是固定电话，本案场来访登记只收手机号码，请向客户询问手机号码。",
                     "{label}: {number} is a landline; this site registers walk-ins by mobile number only, so ask "
                     "the customer for their mobile."),
    "msg.unknown_rep": ("接待人不是本案场在职的售楼员：请改选排班上的售楼员；如需新增售楼员，请告知经理。",
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
    "signin.first_password": ("首次登录：请在“新密码”栏设置您自己的新密码（至少 8 位），连同经理给的临时密码一起提交。",
                              "First sign-in: type your own new password (at least 8 characters) in New password "
                              "and submit it with the temporary password your manager gave you."),
    "signin.password_change_required": ("经理已重置您的密码：请在“新密码”栏设置自己的新密码（至少 8 位），连同经理给的临时密码一起提交。",
                                        "A manager reset your password: type your own new password (at least 8 "
                                        "characters) under New password and submit it with the temporary one."),
    "signin.weak_password": ("新密码太短：至少 8 位，请重新输入。", "The new password is too short: at least 8 characters; enter it again."),
    "signin.same_password": ("新密码不能与经理给的临时密码相同，请换一个。",
                             "The new password must differ from the temporary one the manager gave; choose another."),
    "signin.password_control": ("密码中含有控制字符（如 NUL 或制表符，常随粘贴带入）：请只用字母、数字和符号重新输入。",
                                "The password holds control characters (such as NUL or a tab, often pasted along "
                                "with text); type it again with letters, digits and signs only."),
    "signin.blank_password": ("新密码不能只有空格或不可见字符：请输入含字母、数字或符号的密码。",
                              "The new password is only spaces or invisible characters; type one with letters, "
                              "digits or signs."),
    "signin.invalid_request": ("填写不完整：请检查用户名、密码和设备名称。", "Something is missing: check the username, password and device name."),
    "signin.invalid_json": ("填写不完整：请检查用户名、密码和设备名称。", "Something is missing: check the username, password and device name."),
    "signin.invalid_device_name": ("设备名称里有看不见或改变文字方向的字符：请重新输入设备名称。",
                                   "The device name holds an invisible or direction-changing character: type the name again."),
    "signin.unreachable": ("无法连接服务器：请检查服务器地址和网络后重试。", "The server cannot be reached: check its address and the network, then try again."),
    "signin.server_error": ("服务器出错（{status}）：请稍后重试；若一直出现，请告知管理员。",
                            "Server error ({status}): try again later; tell the administrator if it keeps happening."),
    # QA of issue 14: every code an enrol, sign-in or sync call can answer, in the tablet's words
    "signin.wrong_address": ("服务器地址不对：请只填写主机和端口，例如 http://192.168.1.10:8000，后面不要加路径，然后重试。",
                             "Wrong server address: enter only http://host:port (for example "
                             "http://192.168.1.10:8000) with no path after it, then try again."),
    "signin.not_authenticated": ("服务器不再认可本机的登录：请重新登录。", "The server no longer accepts this tablet's sign-in: sign in again."),
    "signin.forbidden": ("服务器不允许本账号这样做：请联系经理。", "The server does not let this user do that: ask the manager."),
    "signin.wrong_device": ("服务器认为本机的登录属于另一台平板：请在本机重新登录。",
                            "The server says this sign-in belongs to another tablet: sign in again on this tablet."),
    "signin.too_large": ("一次发送的内容超出服务器的上限：本机会分批重试；若一直出现，请告知管理员。",
                         "More than the server takes at once: this tablet retries in smaller parts; tell the "
                         "administrator if it keeps happening."),
    "signin.resync": ("服务器要求重新下载全部资料：本机会自动重新同步，未上传的记录不会丢失。",
                      "The server asks for a full refresh: this tablet syncs again by itself; unsent records are "
                      "not lost."),
    "signin.server_too_old": ("服务器版本较旧，不认识本机的客户号码保护方式：请管理员先升级服务器，再同步；未上传的记录留在本机，不会丢失。",
                              "The server is older than this app: ask the administrator to update the server, "
                              "then sync again; unsent records stay on this tablet."),
    "signin.app_too_old": ("本机应用版本过旧，本案场已不再向它提供客户号码的比对信息：请更新本机应用后再同步；本机的记录仍会上传，不会丢失。",
                           "This app is too old for the site's protection of phone numbers: update the app on this "
                           "tablet, then sync again; its records are still sent, nothing is lost."),
    "signin.refused": ("服务器拒绝了请求（{code}）：请核对服务器地址，或更新应用后重试；若一直出现，请告知管理员。",
                       "The server refused the request ({code}): check the server address or update the app, then "
                       "try again; tell the administrator if it keeps happening."),
    "err.unknown_customer": ("本案场没有这位客户：请先查找客户，或先登记来访。",
                             "There is no such customer at this site: look the customer up, or register the visit first."),
    "err.missing_reason": ("请填写原因后再提交。", "Write the reason, then submit again."),
    "err.already_decided": ("这件事已有人处理过：请刷新后查看结果。", "This was already decided: refresh to see the outcome."),
    "phone.kind.mobile": ("手机号码", "mobile number"),
    "phone.kind.landline": ("固定电话", "landline"),
    "phone.kind.other": ("其他号码", "other number"),
    "verdict.kind": ("（{kind}）", " ({kind})"),
    "verdict.landline": ("这是固定电话 {number}：来访登记需要客户的手机号码，请向客户询问。",
                         "{number} is a landline: a walk-in needs the customer's mobile number; ask for it."),
    "verdict.known_name": ("已填入登记过的姓名：{name}", "Filled in the name on file: {name}"),
    "call.lookup": ("来电号码查询：", "Caller look-up: "),
}
