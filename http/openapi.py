"""The OpenAPI 3.1 document: the routes, and the event vocabulary from schemas/ as their bodies."""

from __future__ import annotations

import copy
import functools
from typing import Any

from hexie.domain.kinds import CREATORS, KINDS
from hexie.schemas import event_schemas

REF = "#/components/schemas/"


def _rewrite(node: Any) -> Any:
    """Point `#/$defs/x` at the shared component `x` (a component's own $defs would resolve from the root)."""
    if isinstance(node, dict):
        out = {k: _rewrite(v) for k, v in node.items() if k not in ("$defs", "$schema")}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = REF + ref[len("#/$defs/"):]
        return out
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": {"$ref": REF + "Problem"}}}}


def _ok(schema: str, description: str = "OK", status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {"application/json": {"schema": {"$ref": REF + schema}}}}}


STRING_OR_NULL = {"type": ["string", "null"]}

ENVELOPE = {
    "type": "object",
    "required": ["position", "case_id", "kind", "version", "type", "data", "occurred_on", "recorded_at", "actor", "unit"],
    "properties": {
        "position": {"type": "integer", "minimum": 1, "description": "place in the global log"},
        "case_id": {"type": "string", "format": "uuid"},
        "kind": {"type": "string", "enum": sorted(KINDS)},
        "version": {"type": "integer", "minimum": 1},
        "type": {"type": "string"},
        "data": {"type": "object", "description": "the event's data (personal data masked)"},
        "occurred_on": {"type": "string", "format": "date", "description": "business date"},
        "recorded_at": {"type": "string", "format": "date-time", "description": "when the system recorded it"},
        "actor": {"type": "string"},
        "unit": {"type": ["string", "null"], "description": "the case's responsible unit"},
        "request_id": STRING_OR_NULL,
    },
}

SHAPES: dict[str, Any] = {
    "Event": ENVELOPE,
    "Receipt": {
        "type": "object",
        "required": ["case_id", "version", "position"],
        "properties": {
            "case_id": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "version": {"type": "integer", "minimum": 1},
            "position": {"type": "integer", "minimum": 1},
        },
    },
    "Case": {
        "type": "object",
        "required": ["case_id", "kind", "unit", "version", "state"],
        "properties": {
            "case_id": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "unit": {"type": ["string", "null"]},
            "version": {"type": "integer", "minimum": 1},
            "state": {"type": "object"},
        },
    },
    "History": {
        "type": "object",
        "required": ["case_id", "events"],
        "properties": {"case_id": {"type": "string", "format": "uuid"}, "events": {"type": "array", "items": {"$ref": REF + "Event"}}},
    },
    "Log": {
        "type": "object",
        "required": ["events", "next_after"],
        "properties": {"events": {"type": "array", "items": {"$ref": REF + "Event"}}, "next_after": {"type": "integer", "minimum": 0}},
    },
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail", "errors"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {"field": STRING_OR_NULL, "rule": {"type": "string"}, "message": {"type": "string"}},
                },
            },
            "current_version": {"type": "integer"},
            "case_id": {"type": "string"},
        },
    },
    "Health": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}, "backend": {"type": "string"}, "position": {"type": "integer"}}},
}


def _command(name: str, appending: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"type": {"const": name}, "data": {"$ref": REF + name}}
    if appending:
        properties["expected_version"] = {"type": "integer", "minimum": 1, "description": "409 unless the case is at this version"}
    return {"type": "object", "required": ["type", "data"], "properties": properties, "additionalProperties": False}


CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
IDEMPOTENCY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "a retry with the same key returns the first answer and stores nothing new",
}
WRITE_ERRORS = {
    "400": _problem("malformed JSON"),
    "404": _problem("unknown case"),
    "409": _problem("version conflict, or the thing is already recorded"),
    "413": _problem("body too large"),
    "422": _problem("schema or rule violation, naming the field or rule"),
}


@functools.cache
def document() -> dict[str, Any]:
    events = event_schemas()
    components: dict[str, Any] = {}
    for schema in events.values():
        for name, definition in schema.get("$defs", {}).items():
            components[name] = _rewrite(definition)
    for name, schema in events.items():
        components[name] = _rewrite(schema)
    components.update(copy.deepcopy(SHAPES))
    creating = sorted(CREATORS)
    appending = sorted({name for cls in KINDS.values() for name in cls.commands})
    components["OpenCase"] = {"oneOf": [_command(n, False) for n in creating]}
    components["AppendEvent"] = {"oneOf": [_command(n, True) for n in appending]}
    paths = {
        "/v1/cases": {
            "post": {
                "summary": "Open a case with its creating event",
                "parameters": [IDEMPOTENCY],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": REF + "OpenCase"}}}},
                "responses": {**_ok("Receipt", "the case is opened", "201"), **WRITE_ERRORS},
            }
        },
        "/v1/cases/{case_id}": {
            "get": {
                "summary": "A case's state now, at a version, or as the system knew it at a moment",
                "parameters": [
                    CASE_ID,
                    {"name": "version", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "as_of", "in": "query", "description": "ISO 8601 date or date-time (recorded time)",
                     "schema": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}},
                ],
                "responses": {**_ok("Case"), "400": _problem("bad query"), "404": _problem("unknown case or version")},
            }
        },
        "/v1/cases/{case_id}/events": {
            "get": {
                "summary": "A case's history",
                "parameters": [CASE_ID],
                "responses": {**_ok("History"), "404": _problem("unknown case")},
            },
            "post": {
                "summary": "Append an event to a case",
                "parameters": [CASE_ID, IDEMPOTENCY],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": REF + "AppendEvent"}}}},
                "responses": {**_ok("Receipt", "the event is recorded", "201"), **WRITE_ERRORS},
            },
        },
        "/v1/events": {
            "get": {
                "summary": "The global log in commit order",
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                ],
                "responses": {**_ok("Log"), "400": _problem("bad query")},
            }
        },
        "/healthz": {"get": {"summary": "Liveness and the store's head position", "responses": _ok("Health")}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hexie — 和谐同行 case ledger",
            "version": "1",
            "description": "Events are the API: open a case with its creating event, append named events, "
            "read state and history. Every event type's data is a JSON Schema under components.",
        },
        "paths": paths,
        "components": {"schemas": components},
    }
