"""/v1/cases: open a case, append to it, read it now, at a version or as of a moment, and its history."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import orjson
from sanic import Blueprint, Request, json

from hexie.domain.commands import CaseNotFound, Command, Receipt
from hexie.domain.calendar import parse_as_of
from hexie.projections.history import case_events
from hexie.domain.case import Context
from hexie.domain.identifiers import has_personal_data, mask_personal

from .auth import principal_of, record_pii_reads, require
from .problems import BadInput

bp = Blueprint("cases", url_prefix="/v1/cases")

ENVELOPE_FIELDS = {"type", "data", "expected_version"}


def read_body(request: Request, creating: bool) -> dict[str, Any]:
    try:
        body = orjson.loads(request.body or b"")
    except orjson.JSONDecodeError as e:
        raise BadInput(f"the body is not valid JSON: {e}") from None
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object {\"type\": …, \"data\": {…}}")
    allowed = {"type", "data"} if creating else ENVELOPE_FIELDS
    for key in body:
        if key not in allowed:
            raise BadInput(f"unexpected member {key!r}", key, 422)
    if not isinstance(body.get("type"), str):
        raise BadInput("type is required: the event type name", "type", 422)
    if not isinstance(body.get("data", {}), dict):
        raise BadInput("data must be an object", "data", 422)
    expected = body.get("expected_version")
    if isinstance(expected, float) and expected.is_integer():
        body["expected_version"] = expected = int(expected)  # JSON does not tell 3 from 3.0
    if expected is not None and (isinstance(expected, bool) or not isinstance(expected, int) or expected < 1):
        raise BadInput("expected_version must be a positive integer", "expected_version", 422)
    return body


def context(request: Request) -> Context:
    principal = principal_of(request)
    require(request, principal.may_write(), "record events")
    key = request.headers.get("idempotency-key")
    if key is not None and not (1 <= len(key) <= 200):
        raise BadInput("Idempotency-Key must be 1-200 characters", "Idempotency-Key")
    return Context(
        actor=principal.actor, actor_unit=principal.unit, request_id=request.ctx.request_id,
        idempotency_key=key, units=principal.units,
    )


def created(request: Request, receipt: Receipt, body: dict[str, Any]):
    wake = getattr(request.app.ctx, "wake", None)
    if wake is not None:
        wake.set()  # our own write: let this process's projection runner look now
    headers = {"Location": f"/v1/cases/{receipt.case_id}"}
    if receipt.replayed:
        headers["Idempotent-Replayed"] = "true"
    return json(body, status=201, headers=headers)


@bp.post("/")
async def open_case(request: Request):
    body = read_body(request, creating=True)
    receipt = await request.app.ctx.batcher.submit(Command(body["type"], body.get("data", {}), context(request)))
    return created(request, receipt, receipt.as_dict())


@bp.post("/<case_id:uuid>/events")
async def append(request: Request, case_id: UUID):
    body = read_body(request, creating=False)
    receipt = await request.app.ctx.batcher.submit(
        Command(body["type"], body.get("data", {}), context(request), case_id, body.get("expected_version"))
    )
    answer = receipt.as_dict()
    del answer["kind"]
    return created(request, receipt, answer)


def arg(request: Request, name: str) -> str | None:
    """A query parameter; a blank one (`?as_of=`) is "" and gets refused, not ignored."""
    return request.get_args(keep_blank_values=True).get(name)


def int_arg(request: Request, name: str, default: int | None, low: int, high: int | None = None) -> int | None:
    text = arg(request, name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadInput(f"{name} must be an integer", f"query.{name}") from None
    if value < low or (high is not None and value > high):
        raise BadInput(f"{name} must be between {low} and {high}" if high else f"{name} must be at least {low}", f"query.{name}")
    return value


@bp.get("/<case_id:uuid>")
async def read_case(request: Request, case_id: UUID):
    version = int_arg(request, "version", None, 1)
    as_of_text = arg(request, "as_of")
    if version is not None and as_of_text is not None:
        raise BadInput("give version or as_of, not both", "query.as_of")
    as_of = None
    if as_of_text is not None:
        try:
            as_of = parse_as_of(as_of_text)
        except ValueError:
            raise BadInput("as_of must be an ISO 8601 date or date-time", "query.as_of") from None
    case = await asyncio.to_thread(request.app.ctx.hexie.get_case, case_id, version, as_of)
    principal = principal_of(request)
    require(request, principal.may_read_unit(case.unit), f"read the cases of {case.unit}")
    state = case.state()
    if principal.sees_pii(case.unit):
        if has_personal_data(state):
            await record_pii_reads(request.app.ctx.readdb, principal, [str(case.id)], request.path)
    else:
        state = mask_personal(state)
    return json({"case_id": str(case.id), "kind": case.kind, "unit": case.unit, "version": case.version, "state": state})


@bp.get("/<case_id:uuid>/events")
async def history(request: Request, case_id: UUID):
    principal = principal_of(request)
    events = await case_events(request.app.ctx.readdb, str(case_id), reveal=True)
    if not events:
        raise CaseNotFound(f"no case {case_id}")
    unit = events[0]["unit"]
    require(request, principal.may_read_unit(unit), f"read the cases of {unit}")
    if principal.sees_pii(unit):
        if any(has_personal_data(e["data"]) for e in events):
            await record_pii_reads(request.app.ctx.readdb, principal, [str(case_id)], request.path)
    else:
        events = [{**e, "data": mask_personal(e["data"])} for e in events]
    return json({"case_id": str(case_id), "events": events})
