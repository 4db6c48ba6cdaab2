"""Console strings: people and choosing a new password (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "nav.people": ("人员", "People"),
    "people.title": ("人员", "People"),
    "people.name": ("姓名", "Name"),
    "people.username": ("用户名", "Username"),
    "people.role": ("岗位", "Role"),
    "people.active": ("在职", "Active"),
    "people.inactive": ("已停用", "Deactivated"),
    "people.must_change": ("下次登录须改密码", "Must choose a new password"),
    "people.last_sign_in": ("最近登录", "Last sign-in"),
    "people.last_sync": ("最近上传", "Last upload"),
    "people.last_pull": ("最近下载", "Last download"),
    "people.tablets": ("平板", "Tablets"),
    "people.deactivate": ("停用", "Deactivate"),
    "people.activate": ("重新启用", "Reactivate"),
    "people.reset": ("重置密码", "Reset password"),
    "people.history": ("操作记录", "History"),
    "people.deactivate_confirm": ("确定停用 {name} 吗？停用后该账号不能再登录或同步；停用前在平板上登记的记录仍会上传并计入。",
                                  "Deactivate {name}? The account can no longer sign in or sync; what was "
                                  "registered on a tablet before still uploads and counts."),
    "people.deactivate_confirm_rep": ("售楼员停用后即离开今日的轮班队列；当天重新启用时，如其间没有接待新客户，回到原位置，"
                                      "否则排在队列末尾。其名下客户仍归其本人，直到交接。",
                                      "A deactivated rep leaves today's rotation queue at once; reactivated the same "
                                      "day, they get their place back if no new customer was received meanwhile, else "
                                      "they join at the back. Their customers stay theirs until handed over."),
    "people.reset_confirm": ("确定为 {name} 重置密码吗？旧密码立即失效，本人下次登录时须设置新密码。",
                             "Reset the password of {name}? The old one stops working now; they choose a new one "
                             "at their next sign-in."),
    "people.deactivate_help": ("停用：该账号不能再登录经理台或平板，平板停止同步（未上传的记录仍可上传，停用前登记的计入）。"
                               "如平板遗失，请在“设备”页停用该平板。",
                               "Deactivating: the account can no longer sign in to the console or a tablet, and its "
                               "tablets stop syncing (records registered before still upload and count). For a lost "
                               "tablet, revoke it on the Devices page."),
    "people.add": ("新增人员", "Add a person"),
    "people.add_submit": ("新增", "Add"),
    "people.username_help": ("用户名：1 至 64 位英文字母、数字或 . _ -，全服务器唯一（如 zhang.qiang）。",
                             "Username: 1 to 64 letters, digits, '.', '_' or '-', unique on the server (e.g. "
                             "zhang.qiang)."),
    "people.password_optional": ("初始密码（可不填）", "First password (optional)"),
    "people.password_help": ("不填则由系统生成临时密码，只显示一次。本人首次登录时须设置自己的新密码。",
                             "Leave it empty for a temporary password, shown once. They choose their own at their "
                             "first sign-in."),
    "people.added_ok": ("已新增 {name}（{username}）。", "{name} ({username}) added."),
    "people.reset_ok": ("已重置 {name}（{username}）的密码。", "The password of {name} ({username}) was reset."),
    "people.deactivated_ok": ("已停用 {name}（{username}）。", "{name} ({username}) deactivated."),
    "people.activated_ok": ("已重新启用 {name}（{username}）。", "{name} ({username}) reactivated."),
    # a rep (QA of issue 12 L5, M2): their customers, and what happens to today's rotation queue
    "people.deactivated_rep_ok": ("已停用 {name}（{username}）。其名下客户仍归其本人，直到您把客户交接给其他售楼员；"
                                  "{name} 已离开今日的轮班队列。",
                                  "{name} ({username}) deactivated. Their customers stay theirs until you hand them "
                                  "over to other reps; {name} has left today's rotation queue."),
    "people.activated_rep_ok": ("已重新启用 {name}（{username}）。{name} 从现在起重新参加轮班：今天停用期间没有接待新客户的，"
                                "回到停用前在今日队列中的位置；否则排在队列末尾。",
                                "{name} ({username}) reactivated. {name} is on the rotation again from now: back at "
                                "the place held in today's queue if no new customer was received while deactivated "
                                "today, else at the back of the queue."),
    "people.handover_note": ("{name} 名下现有 {n} 位客户，仍归其本人，直到交接。",
                             "{name} holds {n} customer(s): they stay theirs until handed over."),
    "people.handover_none": ("{name} 名下没有客户，无需交接。", "{name} holds no customers: nothing to hand over."),
    "people.handover_link": ("交接 {name} 的客户", "Hand over {name}'s customers"),
    "people.temporary": ("临时密码（只显示这一次，请当面告知本人）：", "Temporary password (shown this once; hand it over in person): "),
    "people.must_change_note": ("本人下次在经理台或平板登录时，须先设置自己的新密码。",
                                "At their next sign-in on the console or a tablet, they must first choose their own "
                                "password."),
    "people.issued_gone": ("该临时密码已显示过一次，不会再显示（刷新页面不会再次重置密码）。如需新的临时密码，请在下表该人员一行再点“重置密码”。",
                           "That temporary password was shown once and is not shown again (reloading resets "
                           "nothing). For a new one, click \u201cReset password\u201d on the person's row below."),
    "people.already_inactive": ("{name}（{username}）已是停用状态，本次未做任何更改。",
                                "{name} ({username}) is already deactivated; nothing was changed."),
    "people.already_active": ("{name}（{username}）已是在职状态，本次未做任何更改。",
                              "{name} ({username}) is already active; nothing was changed."),
    "people.err.missing_name": ("请填写姓名。", "Fill in the name."),
    "people.err.bad_name": ("姓名最多 {max} 个字，且不能含控制字符，请修改。",
                            "A name is at most {max} characters, without control characters; change it."),
    "people.err.unknown_role": ("请从列表中选择岗位。", "Choose a role from the list."),
    "people.err.bad_username": ("用户名只能是 1 至 64 位英文字母、数字或 . _ -，请修改（如 zhang.qiang）。",
                                "A username is 1 to 64 letters, digits, '.', '_' or '-'; change it (e.g. "
                                "zhang.qiang)."),
    "people.err.username_twin": ("已有用户 {twin}，与此用户名只差大小写：请换一个用户名。",
                                 "User {twin} exists and differs only in capitals: pick another username."),
    "people.err.duplicate_username": ("用户名 {username} 已被使用（可能在其他案场）：请换一个。",
                                      "The username {username} is taken (perhaps at another site): pick another."),
    "people.err.weak_password": ("密码太短：至少 {min} 位，请重新输入。",
                                 "The password is too short: at least {min} characters; enter it again."),
    "people.err.password_control": ("密码中含有控制字符（如 NUL 或制表符，常随粘贴带入）：请只用字母、数字和符号重新输入。",
                                    "The password holds control characters (such as NUL or a tab, often pasted "
                                    "along with text); type it again with letters, digits and signs only."),
    "people.err.blank_password": ("密码不能只有空格或不可见字符：请输入含字母、数字或符号的密码。",
                                  "The password is only spaces or invisible characters; type a password with "
                                  "letters, digits or signs."),
    "people.err.same_password": ("新密码不能与临时密码相同，请换一个。",
                                 "Choose a password other than the one you were given."),
    "people.err.unknown_user": ("本案场没有此人员，请刷新页面后重试。", "No such person at your site; reload the page and try again."),
    "people.err.unknown_site": ("找不到本案场，请重新登录。", "Your site was not found; sign in again."),
    "people.err.unknown_device": ("找不到该平板，可能属于其他案场。", "Tablet not found; it may belong to another site."),
    "people.err.self_deactivate": ("不能停用自己的账号：请由另一位经理操作。", "You cannot deactivate yourself; ask another manager."),
    "people.err.last_manager": ("{name} 是本案场最后一位在职经理，不能停用：请先新增或重新启用另一位经理。",
                                "{name} is the site's last active manager: add or reactivate another manager "
                                "first."),
    "people.err.other": ("未能完成，请刷新页面后重试。", "That could not be done; reload the page and try again."),
    "password.title": ("设置新密码", "Choose a new password"),
    "password.why": ("您的密码已由经理重置：请先设置自己的新密码（至少 {min} 位），然后继续使用经理台。",
                     "A manager reset your password: choose your own (at least {min} characters) to go on."),
    "password.new": ("新密码", "New password"),
    "password.repeat": ("再输入一次", "Repeat it"),
    "password.submit": ("保存新密码", "Save the new password"),
    "password.err_repeat": ("两次输入的新密码不一致，请重新输入。", "The two entries differ; enter the new password again."),
    "password.changed": ("新密码已保存。", "Your new password is saved."),
}
