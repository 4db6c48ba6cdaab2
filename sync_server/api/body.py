"""Reading a JSON body after authentication, within a size limit."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from shared.boundary import StrictJsonError, loads_strict

from ..errors import TooLarge, Unprocessable

__all__ = ["read_json"]


async def read_json(request: Request, limit: int) -> Any:
    """The parsed body (``shared.boundary.loads_strict``: NaN/Infinity and unreadable numbers as
    ``Unrepresentable`` markers); 413 when it is (or says it is) over ``limit`` bytes, 422
    ``invalid_json`` when it is not JSON or is nested too deeply. The body is streamed so an
    oversized one is refused without holding it in memory."""
    too_large = TooLarge("body_too_large", f"The request body is over {limit // (1024 * 1024)} MiB; send the "
                         "records in smaller batches.",
                         zh=f"请求体超过 {limit // (1024 * 1024)} MiB：请分批发送记录。")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    try:
        return loads_strict(b"".join(chunks))
    except StrictJsonError as exc:
        raise Unprocessable("invalid_json", str(exc), zh="请求体不是有效的 JSON（或嵌套过深）：请按 /docs 所写的格式发送。") from None
