"""Passwords, device tokens, enrolment and the current caller.

Passwords: argon2id (argon2-cffi; OWASP's m=19 MiB, t=2, p=1, about 30 ms a check here).
Hashes made before it (``scrypt$…``, stdlib ``hashlib.scrypt``) still verify and are replaced
by an argon2id hash at the user's next successful sign-in, as are argon2 hashes made with other
parameters (``rehash_on_sign_in``). Tokens: ``secrets.token_urlsafe(32)``
given to the device once; the server keeps only their SHA-256, so a leaked database does not
leak working tokens, and revoking a device makes its token useless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.fields import hidden_character
from shared.timeutil import format_time, utc_now

from ..errors import Forbidden, NotAuthenticated, TooManyAttempts, Unprocessable
from ..storage.base import Device, Site, Store, User
from .throttle import SignInThrottle, minutes

__all__ = ["hash_password", "verify_password", "password_needs_rehash", "rehash_on_sign_in", "DUMMY_HASH",
           "enroll", "authenticate", "Caller", "MIN_PASSWORD_LENGTH"]

MIN_PASSWORD_LENGTH = 8
# OWASP's argon2id choice for m=19 MiB (rated as strong as scrypt at N=2^17, r=8, p=1).
# Changing these makes every older hash "need a rehash": it is replaced at its next sign-in.
_ARGON2 = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)
_SCRYPT_MAX_N = 2**20  # a stored scrypt hash asking for more memory than this is refused, not run


def hash_password(password: str) -> str:
    """A new argon2id hash of ``password`` with a random 16-byte salt, in the PHC string form
    ``$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`` (base64, no padding)."""
    return _ARGON2.hash(password)


def _verify_scrypt(password: str, stored: str) -> bool:
    """``scrypt$n$r$p$salt$hash`` (base64), as this server wrote before argon2id."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        if not 1 < int(n) <= _SCRYPT_MAX_N:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt, validate=True), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected) or 32, maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``: an argon2 PHC string (``$argon2id$…``) or an
    older ``scrypt$n$r$p$salt$hash``. The digests are compared in constant time (argon2's own
    check, ``hmac.compare_digest`` for scrypt). A malformed or unknown hash is ``False``, never
    an exception."""
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    try:
        return _ARGON2.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(stored: str) -> bool:
    """True for any hash that is not argon2id with this server's parameters (an old ``scrypt$``
    hash, or argon2 with other costs): ``rehash_on_sign_in`` replaces it."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _ARGON2.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def rehash_on_sign_in(store: Store, user: User, password: str) -> bool:
    """After ``password`` was verified against ``user.password_hash``: store an argon2id hash
    with the current parameters in its place if the old one needs it
    (``Store.update_user(password_hash=…)``). Returns whether it did. Call it only after a
    successful check: the plain password is what gets hashed."""
    if not password_needs_rehash(user.password_hash):
        return False
    store.update_user(user.username, password_hash=hash_password(password))
    return True


# verified against when the username is unknown, so an unknown name costs as much as a known one
DUMMY_HASH = hash_password("not-a-real-password")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Actor:
    """A signed-in person acting for their site: a tablet's user, or a manager in the console."""

    user: User
    site: Site

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_manager(self) -> bool:
        return self.user.role == "manager"


@dataclass(frozen=True)
class Caller(Actor):
    """An API caller: the user, the device they enrolled (its token authenticated the call), the site."""

    device: Device


def enroll(store: Store, username: str, password: str, device_name: str,
           throttle: SignInThrottle | None = None, address: str | None = None,
           new_password: str | None = None) -> tuple[Device, str, User]:
    """Register a tablet for a user: a new device id and a token shown only this once.
    With a ``throttle``, repeated wrong passwords for the user or from ``address`` are refused
    (429) without checking the password, as in the console.

    A user whose password a manager reset (``must_change_password``) is refused 403
    ``password_change_required`` until the enrolment brings ``new_password`` (at least 8
    characters, not the temporary one: else 422 ``weak_password``/``same_password`` on
    ``new_password``); it replaces the password and the tablet is enrolled. Failures of a known
    user, a lock-out and the enrolment are written to the site's audit log (issue 12)."""
    from .audit import Origin, log

    _check_device_name(device_name)
    origin = Origin.api(username, address)
    keys = throttle.keys(username, address) if throttle else []
    wait = throttle.retry_after(keys) if throttle else 0
    if wait:
        raise TooManyAttempts("too_many_attempts", f"Too many wrong passwords for this user or from this network; "
                              f"wait {minutes(wait)} minute(s) and try again, or ask your manager to reset the "
                              "password.", retry_after_s=int(wait) + 1,
                              zh=f"该用户或本网络的密码错误次数过多：请 {minutes(wait)} 分钟后再试，或请经理重设密码。")
    user = store.get_user(username)
    # verify even for unknown users so timing does not tell which usernames exist
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    if user is None or not ok:
        if throttle:
            throttle.failed(keys)
        if user is not None:
            with store.write(user.site_id):
                log(store, user.site_id, origin, "sign_in.failed", user.username, where="tablet")
                if throttle and throttle.retry_after(keys):
                    log(store, user.site_id, origin, "sign_in.locked", user.username, where="tablet")
        raise NotAuthenticated("bad_credentials", "Wrong username or password; check both and try again.",
                               zh="用户名或密码不对：请检查后重试。")
    if throttle:
        throttle.succeeded(keys)
    if not user.active:
        log(store, user.site_id, origin, "sign_in.failed", user.username, where="tablet", reason="inactive")
        raise Forbidden("user_inactive", "This user is deactivated; ask your manager to reactivate it.",
                        zh="该账号已停用：请经理重新启用后再登录。")
    if user.must_change_password:
        _replace_password(store, origin, user, new_password)
    else:
        rehash_on_sign_in(store, user, password)
    token = secrets.token_urlsafe(32)
    device = Device(id=str(uuid.uuid4()), site_id=user.site_id, username=user.username,
                    name=device_name.strip() or "tablet", enrolled_at=format_time(utc_now()))
    with store.write(user.site_id):
        store.add_device(device, _token_hash(token))
        log(store, user.site_id, origin, "device.enrolled", device.id, name=device.name)
    return device, token, user


def _check_device_name(device_name: str) -> None:
    """422 ``invalid_device_name`` on ``device_name`` for a name holding a character that draws
    nothing or reverses the text around it (QA of issue 14, M6: enrolled as U+202E + 前台五号, the
    console's sentences naming the tablet read backwards); record names are refused alike."""
    char = hidden_character(device_name)
    if char:
        raise Unprocessable("invalid_device_name", f"The device name holds an invisible or direction-changing "
                            f"character ({char}), often pasted along with text; type the name again.",
                            field="device_name",
                            zh=f"设备名称里有看不见或改变文字方向的字符（{char}），常随粘贴带入：请重新输入设备名称。")


def _replace_password(store: Store, origin, user: User, new_password: str | None) -> None:
    """A reset user's first enrolment: the new password they chose, or 403/422 saying what to do."""
    from .admin import AdminError
    from .people import choose_password

    if not new_password:
        # a user who never enrolled a tablet signs in for the first time with the password the
        # manager gave (QA of issue 12 F12.2: a new user read "your manager reset this password")
        first = not any(d.username == user.username for d in store.list_devices(user.site_id))
        if first:
            raise Forbidden("password_change_required",
                            "First sign-in: choose your own new password (at least "
                            f"{MIN_PASSWORD_LENGTH} characters) and sign in with it and the temporary one your "
                            "manager gave you.",
                            details={"first_sign_in": True},
                            zh=f"首次登录：请设置您自己的新密码（至少 {MIN_PASSWORD_LENGTH} 位），与经理给的临时密码一起提交。")
        raise Forbidden("password_change_required",
                        "Your manager reset this password: choose a new one (at least "
                        f"{MIN_PASSWORD_LENGTH} characters) and sign in with both.",
                        details={"first_sign_in": False},
                        zh=f"经理已重置您的密码：请设置一个新密码（至少 {MIN_PASSWORD_LENGTH} 位），与临时密码一起提交。")
    try:
        choose_password(store, origin, user, new_password)
    except AdminError as exc:
        zh = {"weak_password": f"新密码太短：至少 {MIN_PASSWORD_LENGTH} 位，请重新输入。",
              "same_password": "新密码不能与经理给的临时密码相同，请换一个。",
              "password_control": "新密码中含有控制字符（如 NUL 或制表符，常随粘贴带入）：请只用字母、数字和符号重新输入。",
              "blank_password": "新密码不能只有空格或不可见字符：请输入含字母、数字或符号的密码。"}.get(exc.code)
        raise Unprocessable(exc.code or "invalid_password", str(exc), field="new_password", zh=zh) from None


def authenticate(store: Store, authorization: str | None, *, allow_inactive: bool = False) -> Caller:
    """The caller a ``Bearer`` token belongs to; 401 for a missing or unknown token, 403 for a
    revoked device or a deactivated user. ``allow_inactive``: a deactivated user's device may
    still call (push only: what the rep captured before the deactivation is not lost, R4)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("not_authenticated",
                               "Send the device token as 'Authorization: Bearer <token>'; enrol the tablet to get one.",
                               zh="请在请求头 Authorization: Bearer <令牌> 中携带平板的令牌：先登记平板取得令牌。")
    device = store.device_by_token(_token_hash(token.strip()))
    if device is None:
        from .director_tokens import is_director_token

        if is_director_token(store, token.strip()):  # QA of issue 12 N5: not "enrol the tablet" for a director
            raise NotAuthenticated("bad_token", "This is a sales director's token, not a tablet's; a director's "
                                   "calls are under /api/v1/director (a director has no tablet).",
                                   zh="这是销售总监的令牌，不是平板的令牌：销售总监请使用 /api/v1/director 下的接口。")
        raise NotAuthenticated("bad_token", "This token is not known here; enrol the tablet again.",
                               zh="服务器不认识该令牌：请重新登记平板。")
    if device.revoked_at:
        raise Forbidden("device_revoked", "This tablet was revoked by a manager; ask them to enrol it again.",
                        zh="本机已被经理撤销登记：请经理处理后重新登记。")
    user = store.get_user(device.username)
    site = store.get_site(device.site_id)
    if user is None or site is None or not (user.active or allow_inactive):
        raise Forbidden("user_inactive", "This user is deactivated; ask your manager to reactivate it.",
                        zh="该账号已停用：请经理重新启用后再登录。")
    return Caller(user=user, device=device, site=site)
