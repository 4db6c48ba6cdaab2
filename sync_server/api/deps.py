"""Dependencies shared by the routes: the store, the settings and the authenticated caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..config import Settings
from ..errors import Forbidden
from ..services.auth import Caller, authenticate
from ..storage.base import Store

__all__ = ["StoreDep", "SettingsDep", "CallerDep", "ManagerDep"]

_bearer = HTTPBearer(auto_error=False, description="the device token from POST /api/v1/auth/enroll")


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_caller(store: StoreDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    header = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    return authenticate(store, header)


CallerDep = Annotated[Caller, Depends(get_caller)]


def get_pushing_caller(store: StoreDep,
                       credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    """Like ``get_caller``, but a deactivated user's device may push what it captured before
    the deactivation (issue 8 item 8); every other call stays 403 ``user_inactive``."""
    header = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    return authenticate(store, header, allow_inactive=True)


PushCallerDep = Annotated[Caller, Depends(get_pushing_caller)]


def require_manager(caller: CallerDep) -> Caller:
    if not caller.is_manager:
        raise Forbidden("manager_only", "Only a manager of the site may do this; ask your manager.",
                        zh="只有本案场的经理可以执行此操作：请联系经理。")
    return caller


ManagerDep = Annotated[Caller, Depends(require_manager)]
