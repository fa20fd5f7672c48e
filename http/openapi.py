"""The OpenAPI 3.1 document: the routes, and the event vocabulary from schemas/ as their bodies."""

from __future__ import annotations

import copy
import functools
from typing import Any

from hexie.domain.kinds import CREATORS, KINDS
from hexie.domain.vocabulary import PLANS, UNITS
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

# GET /v1/measures and /v1/arrears/overdue (projections/deadlines.py).
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "yuan"}
OBLIGATION_STATUS = ["upcoming", "due", "overdue", "done"]
STATUS_COUNTS = {
    "type": "object",
    "required": OBLIGATION_STATUS,
    "properties": {s: {"type": "integer", "minimum": 0} for s in OBLIGATION_STATUS},
}
DEADLINE_SHAPES: dict[str, Any] = {
    "Obligation": {
        "type": "object",
        "description": "one responsible unit's share of an Annex 2 measure (for one year, if yearly) on as_of",
        "required": ["case_id", "code", "plan", "task", "text", "responsible", "unit", "period", "due", "status",
                     "done_on", "last_report"],
        "properties": {
            "case_id": {"type": "string", "format": "uuid", "description": "the measure's case (report progress to it)"},
            "code": {"type": "string", "description": "e.g. P02-M01"},
            "plan": {"type": "string", "enum": list(PLANS)},
            "task": {"type": "string", "description": "重点工作任务"},
            "text": {"type": "string", "description": "工作措施"},
            "responsible": {"type": "string", "description": "责任分工 as the seed writes it"},
            "unit": {"type": "string", "enum": list(UNITS)},
            "period": {"type": ["integer", "null"], "description": "the year, for a yearly measure"},
            "due": DATE,
            "status": {"type": "string", "enum": OBLIGATION_STATUS},
            "done_on": {**DATE_OR_NULL, "description": "date of the report that made it done"},
            "last_report": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["on", "period", "note", "done"],
                        "properties": {"on": DATE, "period": {"type": ["integer", "null"]}, "note": {"type": "string"},
                                       "done": {"type": "boolean"}},
                    },
                ],
                "description": "the unit's latest report on it dated by as_of",
            },
        },
    },
    "Measures": {
        "type": "object",
        "required": ["as_of", "measures", "summary"],
        "properties": {
            "as_of": DATE,
            "measures": {"type": "array", "items": {"$ref": REF + "Obligation"}},
            "summary": {
                "type": "object",
                "description": "obligations per unit and status, whatever the status filter",
                "required": ["by_unit", "total"],
                "properties": {
                    "by_unit": {"type": "object", "additionalProperties": STATUS_COUNTS},
                    "total": STATUS_COUNTS,
                },
            },
        },
    },
    "OverdueArrearsCase": {
        "type": "object",
        "required": ["case_id", "unit", "assigned_to", "employer_name", "amount_owed", "recovered", "outstanding",
                     "workers_affected", "assigned_on", "deadline", "status", "working_days_overdue"],
        "properties": {
            "case_id": {"type": "string", "format": "uuid"},
            "unit": {"type": "string", "description": "the case's unit"},
            "assigned_to": {"type": "string", "description": "承办单位"},
            "employer_name": {"type": "string"},
            "project": {"type": ["string", "null"]},
            "amount_owed": MONEY,
            "recovered": {**MONEY, "description": "yuan, as of now"},
            "outstanding": {**MONEY, "description": "yuan, as of now"},
            "workers_affected": {"type": "integer"},
            "assigned_on": DATE,
            "deadline": DATE,
            "closed_on": {**DATE_OR_NULL, "description": "set when the case was closed after as_of"},
            "status": {"const": "overdue"},
            "working_days_overdue": {"type": "integer", "minimum": 0,
                                     "description": "official working days after the deadline up to and including as_of"},
            "working_days_left": {"const": 0},
        },
    },
    "OverdueArrears": {
        "type": "object",
        "required": ["as_of", "cases"],
        "properties": {"as_of": DATE, "cases": {"type": "array", "items": {"$ref": REF + "OverdueArrearsCase"}}},
    },
}


# GET /v1/registers/{annex} (projections/registers.py): Annexes 3-8 as JSON, CSV or XLSX.
REGISTER_ANNEXES = ["annex3", "annex4", "annex5", "annex6", "annex7", "annex8"]
REGISTER_SHAPES: dict[str, Any] = {
    "Register": {
        "type": "object",
        "required": ["annex", "title", "columns", "rows"],
        "properties": {
            "annex": {"type": "string", "enum": REGISTER_ANNEXES},
            "title": {"type": "string", "description": "the seed's title, after the unit when filtered by one"},
            "unit": {"type": ["string", "null"], "description": "the unit filter, if any"},
            "plan": {"type": ["string", "null"], "description": "Annex 7: the plan filter, if any"},
            "year": {"type": "integer", "description": "Annex 8: 本年度"},
            "columns": {"type": "array", "items": {"type": "string"},
                        "description": "the seed's column headers in order (Annex 8: the child headers under the merged one)"},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["case_id", "unit"],
                    "description": "one value per column, keyed by its header; personal data masked",
                    "properties": {
                        "case_id": {"type": "string", "format": "uuid"},
                        "unit": {"type": "string", "description": "the case's responsible unit"},
                        "plan": {"type": "string", "enum": ["P03", "P05", "P06"], "description": "Annex 7"},
                        "enterprise_id": {"type": ["string", "null"], "description": "Annexes 7 and 8"},
                    },
                    "additionalProperties": {"type": ["string", "integer", "null"]},
                },
            },
        },
    },
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
UNIT_QUERY = {"name": "unit", "in": "query", "schema": {"type": "string", "enum": list(UNITS)}}
BUSINESS_AS_OF = {
    "name": "as_of", "in": "query", "description": "business date, default today in Asia/Shanghai",
    "schema": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
}
WAIT_FOR = {
    "name": "wait_for", "in": "query", "description": "answer once the read models have processed this log position",
    "schema": {"type": "integer", "minimum": 0},
}
WRITE_ERRORS = {
    "400": _problem("malformed JSON"),
    "404": _problem("unknown case"),
    "409": _problem("version conflict, or the thing is already recorded"),
    "413": _problem("body too large"),
    "422": _problem("schema or rule violation, naming the field or rule"),
}


AS_OF_RECORDED = {"name": "as_of", "in": "query", "description": "ISO 8601 date or date-time (recorded time)",
                  "schema": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}}
WAIT = {"name": "wait_for", "in": "query", "schema": {"type": "integer", "minimum": 0},
        "description": "answer once the read models have processed this position (a write's `position`)"}
FORMAT = {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]}}
SPREADSHEET = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
}
OBJECT = {"application/json": {"schema": {"type": "object"}}}

READ_SIDE_PATHS: dict[str, Any] = {
    "/v1/reports/annex1": {"get": {
        "summary": "Annex 1 completion matrix: 15 units x 10 plans, target / done / per year / percent, totals, "
                   "P03 quality bar, P10 open arrears; as the system knew it at `as_of`",
        "parameters": [AS_OF_RECORDED, FORMAT, WAIT],
        "responses": {"200": {"description": "the matrix", "content": {**OBJECT, **SPREADSHEET}},
                      "400": _problem("bad query, naming the field")},
    }},
    "/v1/reports/annex1/{unit}/{plan}": {"get": {
        "summary": "The cases behind one cell, each with the position of the event that counted it",
        "parameters": [
            {"name": "unit", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "plan", "in": "path", "required": True, "schema": {"type": "string"}},
            AS_OF_RECORDED, WAIT,
        ],
        "responses": {"200": {"description": "evidence", "content": OBJECT},
                      "400": _problem("bad query"), "404": _problem("unknown unit or plan")},
    }},
    "/v1/ledger": {"get": {
        "summary": "Current state of cases, by kind, unit, plan, status and programme year",
        "parameters": [
            {"name": n, "in": "query", "schema": {"type": "string"}} for n in ("kind", "unit", "plan", "status")
        ] + [
            {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2020, "maximum": 2030}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
            {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            WAIT,
        ],
        "responses": {"200": {"description": "ledger rows", "content": OBJECT}, "400": _problem("bad query")},
    }},
    "/v1/audit/digest": {"get": {
        "summary": "The audit chain's current digest (position, count, head, time) and recent recorded digests",
        "parameters": [WAIT],
        "responses": {"200": {"description": "digest", "content": OBJECT}, "400": _problem("bad query")},
    }},
    "/v1/export/timeline": {"get": {
        "summary": "The full history, streamed: NDJSON or CSV, each event with its chain link, ending with the digest",
        "parameters": [
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["ndjson", "csv"]}},
            {"name": "from", "in": "query", "schema": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}},
            {"name": "to", "in": "query", "schema": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}},
            {"name": "unit", "in": "query", "schema": {"type": "string"}},
            {"name": "plan", "in": "query", "schema": {"type": "string"}},
            {"name": "kind", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {"200": {"description": "the export", "content": {
            "application/x-ndjson": {"schema": {"type": "string"}}, "text/csv": {"schema": {"type": "string"}}}},
            "400": _problem("bad query"), "503": _problem("the audit chain is still catching up")},
    }},
    "/v1/audit/verify": {"post": {
        "summary": "Verify an uploaded export (the body), optionally against a digest you kept",
        "parameters": [
            {"name": "digest_position", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            {"name": "digest_head", "in": "query", "schema": {"type": "string"}},
        ],
        "requestBody": {"required": True, "description": "the export file's bytes, as `GET /v1/export/timeline` gave them",
                        "content": {"application/x-ndjson": {"schema": {}}, "text/csv": {"schema": {}}}},
        "responses": {"200": {"description": "the verdict: ok, checked, first_problem {problem, position, detail}",
                              "content": OBJECT}, "400": _problem("bad query")},
    }},
    "/v1/audit/pii-reads": {"get": {
        "summary": "Who read personal data in clear, when, which case (city admin only)",
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}],
        "responses": {"200": {"description": "reads", "content": OBJECT}, "400": _problem("bad query")},
    }},
}


# Spreadsheets in and out (http/spreadsheets.py): imports, empty forms, the acceptance pack.
IMPORT_FORMS = ["enterprises", "annex3", "annex4", "annex5", "annex6", "annex7", "annex8"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_PROBLEM = {
    "type": "object",
    "required": ["row", "column", "cell", "value", "problem_zh", "problem_en", "field"],
    "properties": {
        "row": {"type": ["integer", "null"], "description": "the row as the spreadsheet shows it"},
        "column": {"type": ["string", "null"], "description": "the form's column header"},
        "cell": {"type": ["string", "null"], "description": "e.g. E5; null for a problem of the whole row"},
        "value": {"description": "the cell as written (personal data masked)"},
        "problem_zh": {"type": "string"},
        "problem_en": {"type": "string"},
        "field": {"type": ["string", "null"], "description": "the API field (data.id_number) or the form's field"},
        "rule": {"type": ["string", "null"]},
    },
}
SPREADSHEET_PATHS: dict[str, Any] = {
    "/v1/imports": {"post": {
        "summary": "Import a filled-in form (XLSX or CSV): every row validated as the API validates it; "
                   "all rows stored, or none and a report",
        "parameters": [
            {"name": "as", "in": "query", "required": True, "schema": {"type": "string", "enum": IMPORT_FORMS},
             "description": "enterprises (企业名单) or the Annex 3-8 form"},
            {**UNIT_QUERY, "description": "the responsible unit of rows that name none (a unit officer's own by default)"},
            {"name": "plan", "in": "query", "schema": {"type": "string"},
             "description": "annex7: the plan of rows without a 计划 column (P03/P05/P06 or its name)"},
            {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2020, "maximum": 2030},
             "description": "annex8: 本年度 of rows without a 本年度 column"},
            {"name": "occurred_on", "in": "query", "schema": {"type": "string", "format": "date"},
             "description": "the business date of rows without a 业务日期 column (default today)"},
            {"name": "report", "in": "query", "schema": {"type": "string", "enum": ["json", "xlsx"]},
             "description": "xlsx: a refused import answers with the workbook, bad cells marked red with comments"},
        ],
        "requestBody": {"required": True, "description": "the file's bytes (streamed to disk; at most 200 MB)",
                        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}},
                                    "text/csv": {"schema": {"type": "string"}}}},
        "responses": {
            "201": {"description": "every row stored: rows, recorded, replayed, unchanged_rows, by_type, position",
                    "content": OBJECT},
            "422": {"description": "nothing stored: the report (problem+json with ok=false, rows, problems, "
                                   "problem_count), or with ?report=xlsx the marked workbook",
                    "content": {"application/problem+json": {"schema": {"allOf": [
                        {"$ref": REF + "Problem"},
                        {"type": "object", "properties": {"ok": {"const": False}, "rows": {"type": "integer"},
                                                          "problems": {"type": "array", "items": IMPORT_PROBLEM},
                                                          "problem_count": {"type": "integer"}}}]}},
                                XLSX: {"schema": {"type": "string", "format": "binary"}}}},
            "400": _problem("bad query or an empty or unreadable body"),
            "413": _problem("the file is too large"),
            "415": _problem("the body is neither XLSX nor CSV"),
        },
    }},
    "/v1/templates/{form}.xlsx": {"get": {
        "summary": "The empty form: the seed's headers and hexie's added columns, drop-downs, an example row",
        "parameters": [{"name": "form", "in": "path", "required": True, "schema": {"type": "string", "enum": IMPORT_FORMS}}],
        "responses": {"200": {"description": "the template", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                      "404": _problem("no such template")},
    }},
    "/v1/acceptance-pack": {"get": {
        "summary": "The acceptance pack as of a date: a zip of the workbook (Annex 1 matrix with colours, Annex 2 "
                   "measures, Annexes 3-8), timeline.ndjson up to that moment, digest.json and README.txt",
        "parameters": [{"name": "as_of", "in": "query", "required": True,
                        "schema": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "description": "the date; the matrix and the timeline are as recorded by its end (Beijing time)"}],
        "responses": {"200": {"description": "the zip", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                      "400": _problem("bad query"), "503": _problem("the read models are still catching up")},
    }},
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
    components.update(copy.deepcopy(REGISTER_SHAPES))
    components.update(copy.deepcopy(DEADLINE_SHAPES))
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
        "/v1/measures": {
            "get": {
                "summary": "Annex 2 measures: each responsible unit's obligation, due, overdue or done on a business date",
                "parameters": [
                    {"name": "status", "in": "query", "description": "upcoming obligations are listed only without it",
                     "schema": {"type": "string", "enum": ["due", "overdue", "done"]}},
                    UNIT_QUERY,
                    BUSINESS_AS_OF,
                    WAIT_FOR,
                ],
                "responses": {**_ok("Measures"), "400": _problem("bad query, naming the field"),
                              "503": _problem("the read models have not reached wait_for yet")},
            }
        },
        "/v1/arrears/overdue": {
            "get": {
                "summary": "Wage-arrears cases assigned (交办), open on as_of and past their deadline, in working days",
                "parameters": [
                    {**UNIT_QUERY, "description": "the case's unit or the unit it is assigned to"},
                    {**BUSINESS_AS_OF, "description": "business date, default today in Asia/Shanghai; "
                     "400 for a year the official holiday calendar does not cover"},
                    WAIT_FOR,
                ],
                "responses": {**_ok("OverdueArrears"), "400": _problem("bad query, naming the field"),
                              "503": _problem("the read models have not reached wait_for yet")},
            }
        },
        "/v1/registers/{annex}": {
            "get": {
                "summary": "The register of Annex 3-8 (附件3-8), with the seed's column headers, as JSON, CSV or XLSX",
                "parameters": [
                    {"name": "annex", "in": "path", "required": True, "schema": {"type": "string", "enum": REGISTER_ANNEXES},
                     "description": "annex3 协调员 · annex4 调解组织 · annex5 调解员 · annex6 社会组织 · annex7 企业名单 · annex8 重点用工企业"},
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv", "xlsx"], "default": "json"},
                     "description": "csv: UTF-8 with BOM, one header row; xlsx: the seed's header rows and merges"},
                    {"name": "unit", "in": "query", "schema": {"type": "string", "enum": list(UNITS)},
                     "description": "only the cases of this responsible unit"},
                    {"name": "plan", "in": "query", "schema": {"type": "string", "enum": ["P03", "P05", "P06"]},
                     "description": "annex7 only: cultivation (P03), wage guidance (P05) or new-enterprise service (P06); 400 elsewhere"},
                    {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2020, "maximum": 2030},
                     "description": "annex8 only: 本年度, default this year in Asia/Shanghai; 400 elsewhere"},
                    {"name": "wait_for", "in": "query", "schema": {"type": "integer", "minimum": 0},
                     "description": "answer once the read models have processed this log position"},
                ],
                "responses": {
                    "200": {
                        "description": "the register (personal data masked)",
                        "headers": {"Content-Disposition": {
                            "description": "csv and xlsx: attachment; filename=\"annex8.xlsx\"; filename*=UTF-8''附件8重点用工企业情况表.xlsx",
                            "schema": {"type": "string"}}},
                        "content": {
                            "application/json": {"schema": {"$ref": REF + "Register"}},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    "400": _problem("bad query, naming the field"),
                    "404": _problem("no such register"),
                    "503": _problem("the read models have not reached wait_for yet"),
                },
            }
        },
        "/healthz": {"get": {"summary": "Liveness and the store's head position", "responses": _ok("Health")}},
        **READ_SIDE_PATHS,
        **SPREADSHEET_PATHS,
    }
    for path, operations in paths.items():
        if path.startswith("/v1/"):  # every /v1 route needs a bearer token (DESIGN 4)
            for operation in operations.values():
                operation["responses"].setdefault("401", _problem("no valid bearer token"))
                operation["responses"].setdefault("403", _problem("the token's role may not do this"))
                operation["security"] = [{"bearer": []}]
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
