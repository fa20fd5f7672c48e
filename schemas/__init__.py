"""One JSON Schema per event type (`<EventName>.json`), the API's contract.

Each file describes the event's `data`. References `{"$ref": "#/$defs/<name>"}`
point at the shared definitions below (value lists from the domain vocabulary,
dates, money, identifiers); they are copied into each schema when it is loaded,
so every served schema stands alone. `occurred_on` is added to every event.
"""

from __future__ import annotations

import copy
import functools
from importlib.resources import files
from typing import Any

import orjson
from jsonschema import Draft202012Validator, FormatChecker

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.identifiers import PHONE, id_number_problem, uscc_problem
from hexie.domain.vocabulary import ENUMS


def _enum(codes: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": list(codes),
        "description": " · ".join(f"{k} {v}" for k, v in codes.items()) if any(k != v for k, v in codes.items()) else "",
    }


COMMON_DEFS: dict[str, Any] = {
    **{name: _enum(codes) for name, codes in ENUMS.items()},
    "date": {"type": "string", "format": "date", "description": "ISO date YYYY-MM-DD"},
    "year": {"type": "integer", "minimum": NAMED_YEARS[0], "maximum": NAMED_YEARS[1]},
    "money": {
        "type": "string",
        "pattern": r"^(0|[1-9]\d{0,11})(\.\d{1,2})?$",
        "description": "yuan as a decimal string, e.g. \"125000.50\"",
    },
    "rate": {"type": "number", "minimum": 0, "maximum": 100, "description": "percent, 0-100"},
    "count": {"type": "integer", "minimum": 0, "maximum": 10000000},
    "positive_count": {"type": "integer", "minimum": 1, "maximum": 10000000},
    "uscc": {"type": "string", "format": "uscc", "description": "统一社会信用代码, GB 32100 (check character verified)"},
    "id_number": {"type": "string", "format": "cn-id-number", "description": "公民身份号码, GB 11643 (check digit verified); personal data"},
    "phone": {"type": "string", "pattern": f"^({PHONE.pattern})$", "description": "mobile, landline with area code, or local number; personal data"},
    "case_id": {"type": "string", "format": "uuid", "description": "id of another case"},
    "name": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"},
    "short_text": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S"},
    "text": {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": r"\S"},
}

OCCURRED_ON = {
    "$ref": "#/$defs/date",
    "description": "when it happened (business date); defaults to today, never in the future",
}

format_checker = FormatChecker()


@format_checker.checks("uscc", raises=ValueError)
def _is_uscc(value: object) -> bool:
    if isinstance(value, str) and (problem := uscc_problem(value)):
        raise ValueError(problem)
    return True


@format_checker.checks("cn-id-number", raises=ValueError)
def _is_id_number(value: object) -> bool:
    if isinstance(value, str) and (problem := id_number_problem(value)):
        raise ValueError(problem)
    return True


def _refs(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/"):]
            if name not in found:
                found.add(name)
                _refs(COMMON_DEFS.get(name), found)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


@functools.cache
def event_schemas() -> dict[str, dict[str, Any]]:
    """Every event type's schema, self-contained, by event type name."""
    out = {}
    for path in sorted(files(__name__).iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        schema = orjson.loads(path.read_bytes())
        name = path.name[:-5]
        if schema.get("title") != name:
            raise ValueError(f"{path.name}: title must be the event type {name!r}")
        schema["properties"] = {"occurred_on": OCCURRED_ON, **schema.get("properties", {})}
        schema.setdefault("additionalProperties", False)
        defs = {n: copy.deepcopy(COMMON_DEFS[n]) for n in sorted(_refs(schema, set()))}
        if defs:
            schema["$defs"] = {**defs, **schema.get("$defs", {})}
        Draft202012Validator.check_schema(schema)
        out[name] = schema
    return out


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every `#/$defs/…` reference replaced by its definition: validating
    then never resolves a reference (the served schemas keep theirs)."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            target = _inline(defs[ref[len("#/$defs/"):]], defs)
            # Siblings add constraints; the definition's description stays (error messages quote it).
            rest = {k: _inline(v, defs) for k, v in node.items() if k not in ("$ref", "description", "title")}
            return {**target, **rest} if rest else target
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@functools.cache
def _validator(event_type: str) -> Draft202012Validator:
    schema = event_schemas()[event_type]
    return Draft202012Validator(_inline(schema, schema.get("$defs", {})), format_checker=format_checker)


def problems(event_type: str, data: Any) -> list[dict[str, str]]:
    """What is wrong with `data` for `event_type`: one entry per bad field."""
    if event_type not in event_schemas():
        return [{"field": "type", "message": f"unknown event type {event_type!r}"}]
    if not isinstance(data, dict):
        return [{"field": "data", "message": "data must be a JSON object"}]
    errors = []
    for error in sorted(_validator(event_type).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            missing = [p for p in error.validator_value if p not in error.instance]
            for name in missing:
                errors.append({"field": ".".join(["data", *path, name]), "message": "is required / 必填"})
            continue
        if error.validator == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
            for name in sorted(set(error.instance) - allowed):
                errors.append({"field": ".".join(["data", *path, name]), "message": "is not a field of this event / 不是该事件的字段"})
            continue
        message = error.message
        if error.validator == "format" and error.cause is not None:
            message = str(error.cause)
        elif error.validator == "pattern" and error.schema.get("description"):
            message = f"must be {error.schema['description']}"  # the value may be personal: not echoed
        errors.append({"field": ".".join(["data", *path]), "message": message})
    unique = {(e["field"], e["message"]): e for e in errors}  # `required` reports each missing field per missing field
    return list(unique.values())
