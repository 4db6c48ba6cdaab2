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
    "refused.title": ("此页面仅限经理使用", "This console is for managers"),
    "refused.body": ("您的账号（{name}，角色：{role}）不能使用经理台。来访、来电登记请使用平板应用；如需审核或裁定，请联系项目经理。",
                     "Your account ({name}, role: {role}) cannot use the manager console. Register walk-ins and calls on the tablet app; ask your project manager for confirmations and decisions."),
    "refused.other": ("换一个账号登录", "Sign in with another account"),
    "role.reception": ("接待台", "reception"),
    "role.rep": ("售楼员", "rep"),
    "role.manager": ("经理", "manager"),
}
