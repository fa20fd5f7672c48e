"""The OpenAPI 3.1 document, assembled from the app's routes.

Each handler records its own operation with `@operation(...)`, beside the route. This module
keeps only what routes share — problem+json, the bearer scheme, the event envelope and the
event vocabulary (schemas/) as request bodies, common parameters — and `document(app)` walks
the router to put them together. A route without `@operation` is left out of the document;
tests/e2e/test_openapi_routes.py fails when that happens.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from sanic import Sanic

from hexie.domain.kinds import CREATORS, KINDS
from hexie.domain.vocabulary import UNITS
from hexie.schemas import event_schemas

from . import params

REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def problem_doc(description: str) -> dict[str, Any]:
    """A response documented as application/problem+json."""
    return {"description": description, "content": {"application/problem+json": {"schema": ref("Problem")}}}


def ok(schema: str, description: str = "OK", status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {"application/json": {"schema": ref(schema)}}}}


# -- shared shapes ----------------------------------------------------------------

STRING_OR_NULL = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
DATE_OR_TIME = {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}
UUID_TEXT = {"type": "string", "format": "uuid"}
KIND = {"type": "string", "enum": sorted(KINDS)}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"type": "string", "format": "binary"}
OBJECT = {"application/json": {"schema": {"type": "object"}}}
SPREADSHEET = {"text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": BINARY}}

PROBLEM = {
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
}

# Every event, in every listing and export, has this envelope (DESIGN 2b).
ENVELOPE = {
    "type": "object",
    "required": ["position", "case_id", "kind", "version", "type", "data", "occurred_on", "recorded_at", "actor", "unit"],
    "properties": {
        "position": {"type": "integer", "minimum": 1, "description": "place in the global log"},
        "case_id": UUID_TEXT,
        "kind": KIND,
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

# -- shared parameters and responses ----------------------------------------------


def query(name: str, schema: dict[str, Any], description: str | None = None, required: bool = False) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": "query", "schema": schema}
    if required:
        parameter["required"] = True
    if description:
        parameter["description"] = description
    return parameter


def path_parameter(name: str, schema: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    return {**query(name, schema, description, required=True), "in": "path"}


UNIT_QUERY = query("unit", {"type": "string", "enum": list(UNITS)})
FORMAT_QUERY = query("format", {"type": "string", "enum": ["json", "csv", "xlsx"], "default": "json"})
WAIT_FOR_QUERY = query(params.WAIT_FOR, {"type": "integer", "minimum": 0},
                 "answer once the read models have processed this log position (a write's `position`)")
BUSINESS_DATE_QUERY = query(params.BUSINESS_DATE, {**DATE, "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                            "业务日期截至 / business-date cut-off: only what happened on or before this date"
                            " (occurred_on, Beijing calendar); default today")
RECORDED_TIME_QUERY = query(params.RECORDED_TIME, DATE_OR_TIME,
                            "记录时间截至 / recorded-time cut-off: only what had been recorded by then (ISO 8601; a"
                            " date means the end of that day, Beijing time); default now")
CUT_QUERIES = [BUSINESS_DATE_QUERY, RECORDED_TIME_QUERY]
NOT_CAUGHT_UP = {"503": problem_doc("the read models have not reached wait_for yet")}

# -- the event vocabulary as request bodies ----------------------------------------


def _rewrite(node: Any) -> Any:
    """Point `#/$defs/x` at the shared component `x` (a component's own $defs would resolve from the root)."""
    if isinstance(node, dict):
        out = {k: _rewrite(v) for k, v in node.items() if k not in ("$defs", "$schema")}
        target = out.get("$ref")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            out["$ref"] = REF + target[len("#/$defs/"):]
        return out
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


def _command(name: str, appending: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"type": {"const": name}, "data": ref(name)}
    if appending:
        properties["expected_version"] = {"type": "integer", "minimum": 1,
                                          "description": "409 unless the case is at this version"}
    return {"type": "object", "required": ["type", "data"], "properties": properties, "additionalProperties": False}


def vocabulary() -> dict[str, Any]:
    """One component per event type's data (and the definitions they share), and the two
    request bodies: `OpenCase` (a creating event) and `AppendEvent` (any other)."""
    events = event_schemas()
    components: dict[str, Any] = {}
    for schema in events.values():
        for name, definition in schema.get("$defs", {}).items():
            components[name] = _rewrite(definition)
    for name, schema in events.items():
        components[name] = _rewrite(schema)
    appending = sorted({name for cls in KINDS.values() for name in cls.commands})
    components["OpenCase"] = {"oneOf": [_command(n, False) for n in sorted(CREATORS)]}
    components["AppendEvent"] = {"oneOf": [_command(n, True) for n in appending]}
    return components


# -- operations beside their routes, assembled here ---------------------------------

_OPERATION = "_hexie_openapi"


@dataclass(frozen=True)
class Operation:
    summary: str
    responses: dict[str, Any]
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: dict[str, Any] | None = None
    schemas: dict[str, Any] = field(default_factory=dict)
    path: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"summary": self.summary}
        if self.parameters:
            out["parameters"] = self.parameters
        if self.body is not None:
            out["requestBody"] = self.body
        out["responses"] = self.responses
        return copy.deepcopy(out)  # shared parameters stay shared in code, not in the document


def operation(summary: str, *, responses: dict[str, Any], parameters: list[dict[str, Any]] | None = None,
              body: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None,
              path: str | None = None) -> Callable:
    """Record a route's OpenAPI operation on its handler (put it under `@bp.get(...)`).

    `schemas` are the components its responses name; `path` is the documented path when the
    route's pattern says less than the document should (`<filename>` that must end `.xlsx`)."""

    def record(handler: Callable) -> Callable:
        setattr(handler, _OPERATION, Operation(summary, responses, list(parameters or ()), body, dict(schemas or {}), path))
        return handler

    return record


def documented_path(route_path: str) -> str:
    """sanic's `v1/cases/<case_id:uuid>` as OpenAPI's `/v1/cases/{case_id}`."""
    return "/" + re.sub(r"<(\w+)(?::[^>]*)?>", r"{\1}", route_path.strip("/"))


def _add(components: dict[str, Any], name: str, schema: Any) -> None:
    if name in components and components[name] != schema:
        raise ValueError(f"OpenAPI component {name!r} is defined twice, differently")
    components[name] = copy.deepcopy(schema)


def document(app: Sanic) -> dict[str, Any]:
    components = vocabulary()
    _add(components, "Problem", PROBLEM)
    _add(components, "Event", ENVELOPE)
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(app.router.routes, key=lambda r: r.path):
        op: Operation | None = getattr(route.handler, _OPERATION, None)
        if op is None:
            continue
        path = op.path or documented_path(route.path)
        for name, schema in op.schemas.items():
            _add(components, name, schema)
        for method in sorted(route.methods):
            described = op.as_dict()
            if path.startswith("/v1/"):  # every /v1 route needs a bearer token (DESIGN 4)
                described["responses"].setdefault("401", problem_doc("no valid bearer token"))
                described["responses"].setdefault("403", problem_doc("the token's role may not do this"))
                described["security"] = [{"bearer": []}]
            paths.setdefault(path, {})[method.lower()] = described
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hexie — 和谐同行 case ledger",
            "version": "1",
            "description": "Events are the API: open a case with its creating event, append named events, "
            "read state and history. Every event type's data is a JSON Schema under components.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "`hexie token create`"}},
        },
    }
