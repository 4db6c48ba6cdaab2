"""The FastAPI application: routers, one error body shape, the store on ``app.state``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.collector import tune_collector
from shared.fields import control_character_problem

from .api import auth, conflicts, customers, devices, director, handovers, sync
from .api.openapi import install_openapi
from .api.request_errors import request_error
from .api.schemas import ERRORS, Health
from .config import Settings, worker_settings, worker_throttle_file
from .console import mount_console
from .console.app import console_http_error, is_console_page
from .errors import ApiError, Unavailable, Unprocessable, request_lang
from .services.care_calendar import warn_stale
from .services.lapsing import lapse_sweeper
from .services.lookup_budget import LookupBudget, lookup_budget_file
from .services.record_budget import record_budget
from .services.tagging import tagger
from .services.throttle import SharedSignInThrottle, SignInThrottle
from .storage import open_store

__all__ = ["create_app"]

_log = logging.getLogger("fieldsync.server")
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated", 403: "forbidden"}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        retry = getattr(exc, "retry_after_s", None)
        headers = {"Retry-After": str(retry)} if retry else None
        return JSONResponse(exc.body(request_lang(request.headers.get("accept-language"))), status_code=exc.status,
                            headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return await api_error(request, request_error(list(exc.errors())))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        # A 5xx is always a bug; it still answers in the one error shape (logged by uvicorn).
        _log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        error = ApiError("server_error", "The server failed on this request (a bug); your data is kept on the "
                         "tablet. Try again later and report it.",
                         zh="服务器处理此请求时出错（程序缺陷）：数据仍保存在平板上，请稍后重试并报告此问题。")
        return JSONResponse(error.body(request_lang(request.headers.get("accept-language"))), status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if is_console_page(request):  # a browser: the console's page, never a JSON body
            return await console_http_error(request, exc)
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message, zh = str(exc.detail), f"请求未能完成（HTTP {exc.status_code}）：请按 /docs 所写的方式发送。"
        if exc.status_code == 404:
            message = f"There is nothing at {request.url.path}; the API lives under /api/v1 (see /docs)."
            zh = f"{request.url.path} 没有接口：接口都在 /api/v1 下（见 /docs）。"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs for the methods."
            zh = f"{request.url.path} 不接受 {request.method} 请求：可用的方法见 /docs。"
        error = ApiError(code, message, zh=zh)
        return JSONResponse(error.body(request_lang(request.headers.get("accept-language"))),
                            status_code=exc.status_code, headers=exc.headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The sync server for ``settings``. None (uvicorn's factory call in a worker of
    ``serve --workers N``): the settings the worker was started with, else the environment's
    (``config.worker_settings``; raises ``config.SettingsError`` when they are invalid)."""
    settings = settings or worker_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # rows read and written in bulk: fewer scans by the cyclic collector (issue 13)
        tune_collector()
        # customers' phone tags, off the push transaction (issue 14, services/tagging.py)
        app.state.tagger = tagger(app.state.store).start()
        # disputes whose protection lapsed undecided, stored lapsed within a minute (services/lapsing.py)
        app.state.lapser = lapse_sweeper(app.state.store).start()
        yield
        app.state.lapser.stop()
        app.state.tagger.stop()
        app.state.store.close()

    app = FastAPI(title="fieldsync sync server", version="1", lifespan=lifespan,
                  description="Sync protocol v1 for fieldsync tablets; see docs/protocol.md.")
    app.state.settings = settings
    app.state.store = open_store(settings.db_url, pool_size=settings.db_pool_size)
    # complaint deadlines kept with another working calendar than the installed one (issue 11)
    warn_stale(app.state.store)
    # console and enrolment share one; the workers of ``serve --workers N`` share theirs (services/throttle.py)
    shared = worker_throttle_file()
    app.state.sign_in_throttle = SharedSignInThrottle(shared) if shared else SignInThrottle()
    # phone look-ups per user per hour, counted the same way (services/lookup_budget.py)
    app.state.lookup_budget = LookupBudget(lookup_budget_file(shared))
    # phones named in pushed records the pusher could not see, per user per day (services/record_budget.py)
    app.state.record_budget = record_budget(shared, settings.record_budget)
    app.state.trusted_proxies = settings.trusted_proxy_networks()
    _install_error_handlers(app)

    @app.middleware("http")
    async def refuse_control_characters_in_urls(request: Request, call_next):
        # An id or phone with a NUL in the URL must be a clear 422, not a database error.
        target = request.url.path + "".join(k + v for k, v in request.query_params.multi_items())
        if control_character_problem(target, "url"):
            if is_console_page(request):  # a manager's browser: the console's page, in the user's language
                return await console_http_error(request, StarletteHTTPException(422))
            # in both languages, as every API error (QA F8b: English only, even to Accept-Language zh)
            error = Unprocessable("invalid_request", "The address contains control characters (such as %00); remove "
                                  "them from the path and query.",
                                  zh="地址中含有看不见的控制字符（例如 %00）：请从路径和查询参数中删去后重试。")
            return JSONResponse(error.body(request_lang(request.headers.get("accept-language"))), status_code=422)
        return await call_next(request)

    for module in (auth, sync, customers, conflicts, devices, handovers, director):
        app.include_router(module.router, prefix="/api/v1")
    install_openapi(app, settings.max_records)
    mount_console(app)

    @app.get("/healthz", response_model=Health, tags=["health"], responses=ERRORS(503))
    def healthz(request: Request):
        """200 when the store answers a query, 503 otherwise."""
        try:
            ok = request.app.state.store.ping()
        except Exception:  # any failure of the store means "not healthy"
            ok = False
        if not ok:
            error = Unavailable("store_unavailable", "The database does not answer; check the server's disk and logs.",
                                zh="数据库没有响应：请检查服务器的磁盘和日志。")
            return JSONResponse(error.body(request_lang(request.headers.get("accept-language"))), status_code=503)
        return Health(status="ok")

    return app
