"""/v1/cases: open a case, append to it, read it now, at a version or as of a moment, and its history."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import orjson
from sanic import Blueprint, Request, json

from hexie.domain.commands import CaseNotFound, Command, Receipt
from hexie.projections.history import case_events
from hexie.domain.case import Context
from hexie.domain.identifiers import has_personal_data, mask_personal

from . import params
from .auth import principal_of, record_pii_reads, require
from .openapi import KIND, RECORDED_TIME_QUERY, UUID_TEXT, ok, operation, path_parameter, problem_doc, query, ref
from .problems import BadInput

bp = Blueprint("cases", url_prefix="/v1/cases")

CASE_ID = path_parameter("case_id", UUID_TEXT)
IDEMPOTENCY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "a retry with the same key returns the first answer and stores nothing new",
}
WRITE_ERRORS = {
    "400": problem_doc("malformed JSON"),
    "404": problem_doc("unknown case"),
    "409": problem_doc("version conflict, or the thing is already recorded"),
    "413": problem_doc("body too large"),
    "422": problem_doc("schema or rule violation, naming the field or rule"),
}
RECEIPT = {
    "type": "object",
    "required": ["case_id", "version", "position"],
    "properties": {
        "case_id": UUID_TEXT,
        "kind": KIND,
        "version": {"type": "integer", "minimum": 1},
        "position": {"type": "integer", "minimum": 1},
    },
}
CASE = {
    "type": "object",
    "required": ["case_id", "kind", "unit", "version", "state"],
    "properties": {
        "case_id": UUID_TEXT,
        "kind": KIND,
        "unit": {"type": ["string", "null"]},
        "version": {"type": "integer", "minimum": 1},
        "state": {"type": "object"},
    },
}
HISTORY = {
    "type": "object",
    "required": ["case_id", "events"],
    "properties": {"case_id": UUID_TEXT, "events": {"type": "array", "items": ref("Event")}},
}

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
@operation(
    "Open a case with its creating event",
    parameters=[IDEMPOTENCY],
    body={"required": True, "content": {"application/json": {"schema": ref("OpenCase")}}},
    responses={**ok("Receipt", "the case is opened", "201"), **WRITE_ERRORS},
    schemas={"Receipt": RECEIPT},
)
async def open_case(request: Request):
    body = read_body(request, creating=True)
    receipt = await request.app.ctx.batcher.submit(Command(body["type"], body.get("data", {}), context(request)))
    return created(request, receipt, receipt.as_dict())


@bp.post("/<case_id:uuid>/events")
@operation(
    "Append an event to a case",
    parameters=[CASE_ID, IDEMPOTENCY],
    body={"required": True, "content": {"application/json": {"schema": ref("AppendEvent")}}},
    responses={**ok("Receipt", "the event is recorded", "201"), **WRITE_ERRORS},
    schemas={"Receipt": RECEIPT},
)
async def append(request: Request, case_id: UUID):
    body = read_body(request, creating=False)
    receipt = await request.app.ctx.batcher.submit(
        Command(body["type"], body.get("data", {}), context(request), case_id, body.get("expected_version"))
    )
    answer = receipt.as_dict()
    del answer["kind"]
    return created(request, receipt, answer)


@bp.get("/<case_id:uuid>")
@operation(
    "A case's state now, at a version, or as the system knew it at a moment",
    parameters=[CASE_ID, query("version", {"type": "integer", "minimum": 1}), RECORDED_TIME_QUERY],
    responses={**ok("Case"), "400": problem_doc("bad query"), "404": problem_doc("unknown case or version")},
    schemas={"Case": CASE},
)
async def read_case(request: Request, case_id: UUID):
    version = params.integer(request, "version", None, 1)
    if version is not None and params.raw(request, params.RECORDED_TIME) is not None:
        raise BadInput(f"give version or {params.RECORDED_TIME}, not both", f"query.{params.RECORDED_TIME}")
    as_of = params.recorded_time(request)
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
@operation(
    "A case's history",
    parameters=[CASE_ID],
    responses={**ok("History"), "404": problem_doc("unknown case")},
    schemas={"History": HISTORY},
)
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
