"""Console strings: sign-in (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "login.title": ("经理登录", "Manager sign-in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("用户名或密码不正确，请重新输入。", "Wrong username or password; try again."),
    "login.throttled": ("登录失败次数过多：请等待 {minutes} 分钟后再试，或请本案场另一位经理在经理台“人员”页为您重置密码。",
                        "Too many failed sign-ins: wait {minutes} minute(s) and try again, or ask another manager "
                        "of your site to reset your password on the console's People page."),
    "login.signed_out": ("您已退出登录。", "You are signed out."),
    "refused.title.manager": ("此页面仅限项目经理使用", "This page is for site managers"),
    "refused.title.director": ("此页面仅限销售总监使用", "This page is for sales directors"),
    "refused.yours": ("您的账号（{name}，角色：{role}）不能打开此页面。请前往：",
                      "Your account ({name}, role: {role}) cannot open this page. Go to "),
    "refused.home.manager": ("经理台（争议列表）", "the manager's console (disputes)"),
    "refused.home.director": ("销售总监的审批页", "the director's approvals"),
    "refused.inactive": ("您的账号（{name}）已停用，不能使用经理台：请联系管理员重新启用。",
                         "Your account ({name}) is deactivated and cannot use the console; ask the administrator "
                         "to reactivate it."),
    "refused.body": ("您的账号（{name}，角色：{role}）不能使用经理台。来访、来电登记请使用平板应用；如需审核或裁定，请联系项目经理。",
                     "Your account ({name}, role: {role}) cannot use the manager console. Register walk-ins and calls on the tablet app; ask your project manager for confirmations and decisions."),
    "refused.other": ("换一个账号登录", "Sign in with another account"),
    "role.reception": ("接待台", "reception"),
    "role.rep": ("售楼员", "rep"),
    "role.manager": ("经理", "manager"),
    "role.director": ("销售总监", "sales director"),
}
