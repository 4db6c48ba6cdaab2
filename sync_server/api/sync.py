from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..errors import TooLarge, Unprocessable
from ..services.client_address import request_address
from ..services.pull import DEFAULT_LIMIT, MAX_LIMIT, pull
from ..services.push import PushEnvelope, push
from ..services.snapshot import SnapshotStream
from ..services.tagging import tag_site_now
from .body import read_json
from .deps import CallerDep, PushCallerDep, SettingsDep, StoreDep
from .openapi import body_ref
from .request_errors import validation_error
from .schemas import ERRORS, PullResponse, PushRequest, PushResponse

router = APIRouter(prefix="/sync", tags=["sync"])
_log = logging.getLogger("fieldsync.server")

StepsQuery = Annotated[Literal["text", "params"], Query(
    description="params: explanation steps come without text; the tablet renders them with "
                "shared.explain (issue 13). text (the default, old tablets): each step carries text {zh, en}")]

KeysQuery = Annotated[Literal["hash", "tag", "tag2"], Query(
    description="tag2 (tablets from their migration 017_tag2 on): customers come with phone_tag = "
                "shared.phones.phone_tag2 (keyed scrypt, n=2^13) and the site with replica_key; tag (tablets of "
                "issue 14's first release): phone_tag = shared.phones.phone_tag (n=2^11), null on a site set to "
                "replica_keys=tag2; hash (the default, old tablets): phone_hash only where the site is set to "
                "replica_keys=legacy (docs/privacy.md)")]

_PUSH_BODY = body_ref(PushRequest)


@router.post("/push", response_model=PushResponse, response_model_exclude_none=True,
             responses=ERRORS(401, 403, 413, 422), openapi_extra=_PUSH_BODY)
async def push_records(request: Request, caller: PushCallerDep, store: StoreDep, settings: SettingsDep) -> dict:
    """Store a batch of records (at most 1000): per record ``accepted``, ``duplicate`` or
    ``rejected`` with the problem. The body is read only after the token is checked, so an
    unauthenticated request is 401 whatever its body. A deactivated user's tablet may push: what
    it captured before the deactivation is accepted, the rest rejected ``user_inactive``. Past
    300 phones a day the caller could not see, a record is accepted with ``owner_withheld``:
    its ownership waits for a manager (issue 14, docs/protocol.md)."""
    payload = await read_json(request, settings.max_body_bytes)
    if isinstance(payload, dict) and isinstance(payload.get("records"), list) \
            and len(payload["records"]) > settings.max_records:
        raise TooLarge("too_many_records", f"A push carries at most {settings.max_records} records; this one has "
                       f"{len(payload['records'])}. Send them in smaller batches.",
                       zh=f"每次上传最多 {settings.max_records} 条记录，本次有 {len(payload['records'])} 条：请分批发送。")
    if not isinstance(payload, dict):
        raise Unprocessable("invalid_request", "The push body must be a JSON object with device_id, sent_at, clock "
                            "and records; see docs/protocol.md.",
                            zh="上传的请求体须为 JSON 对象（所含字段见 docs/protocol.md）：请按文档格式发送。")
    try:
        body = PushRequest.model_validate(payload)
    except ValidationError as exc:
        raise validation_error(exc) from None
    envelope = PushEnvelope(device_id=body.device_id, sent_at=body.sent_at, clock=body.clock.model_dump(),
                            records=body.records)
    # records naming phones the caller could not see spend its record budget (issue 14)
    answer = await run_in_threadpool(push, store, caller, envelope, request.app.state.record_budget,
                                     request_address(request))
    # new customers' phone tags, after the commit (issue 14): a few now, so the tablet's next
    # pull carries them; a bulk upload's by the background tagger
    try:
        await run_in_threadpool(tag_site_now, store, caller.site.id)
    except Exception:  # the push is committed: its answer stands, the background tagger retries
        _log.exception("tagging the new customers of a push failed; the background tagger retries")
    tagger = getattr(request.app.state, "tagger", None)
    if tagger is not None:
        tagger.poke()
    return answer


@router.get("/pull", response_model=PullResponse, responses=ERRORS(401, 403, 409, 410, 422))
def pull_changes(caller: CallerDep, store: StoreDep,
                 cursor: Annotated[str | None, Query(description="as returned by the last pull; empty = start")] = None,
                 limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
                 steps: StepsQuery = "text", keys: KeysQuery = "hash") -> dict:
    """Everything the caller may see that changed after ``cursor``, oldest first."""
    return pull(store, caller, cursor, limit, rendered=steps == "text", keys=keys)


@router.get("/snapshot", responses={**ERRORS(401, 403, 409), 200: {
    "description": "NDJSON, streamed as rendered (chunked): a header line {kind: snapshot, cursor, count}, count "
                   "change lines as in /sync/pull, an end line {kind: end, count} (missing: the answer was cut short)",
    "content": {"application/x-ndjson": {}}}})
async def snapshot_changes(caller: CallerDep, store: StoreDep, steps: StepsQuery = "text",
                           keys: KeysQuery = "hash") -> StreamingResponse:
    """A fresh tablet's whole replica in one answer (issue 13): what pulling from the empty
    cursor until ``more`` is false would bring, read in one snapshot held for the whole stream,
    streamed as NDJSON while it is rendered, with the cursor to continue the normal pull from.
    Errors before the header are status codes; after it, the answer ends without its end line.
    See docs/protocol.md, "Snapshot"."""
    stream = SnapshotStream(store, caller, rendered=steps == "text", keys=keys)
    await run_in_threadpool(stream.start)
    return StreamingResponse(stream.blocks(), media_type="application/x-ndjson",
                             headers={"X-Fieldsync-Count": str(stream.count)})
