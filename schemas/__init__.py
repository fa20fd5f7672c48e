"""One JSON Schema per event type (`<EventName>.json`), the API's contract.

Each file describes the event's `data`. References `{"$ref": "#/$defs/<name>"}`
point at the shared definitions below (value lists from the domain vocabulary,
dates, money, identifiers) or at the file's own `$defs`; the shared ones are copied
into each schema when it is loaded, so every served schema stands alone.
`occurred_on` is added to every event.

Chinese labels live here and nowhere else (DESIGN 8), in plain JSON Schema terms so a
form renderer and the OpenAPI viewers show them; `labels.py` reads them back
(`event_label`, `field_label`, `value_label`, `field_choices`):

- The event type: `"title"` is its Chinese label (`"跟踪指导"`) and `"x-event-type"` its
  name (`"GuidanceVisitLogged"`), which stays the contract: the file name and the key of
  `event_schemas()`.
- Every property, nested ones included, has a Chinese `"title"`, the form label
  (the seed's column header where the field is an Annex 3–8 column).
- A value list is a `$defs` entry `{"type": "string", "oneOf": [{"const": code,
  "title": label}, …]}` — the standard way to label enumerated values, understood by
  generic form renderers (a select with the labels) and OpenAPI 3.1 viewers. Lists come
  from `domain.vocabulary.ENUMS`; a list only one event uses may sit in that file's own
  `$defs`. A property may narrow a list with a sibling `"enum"` (allowed codes).
  Validation is unchanged: the compiled validator (`_inline`) turns each such `oneOf`
  back into the `enum` of its codes — same acceptance, one `enum` check rather than
  a `oneOf` over every code, and the same error (`'x' is not one of [...]`), to which
  `problems()` adds the codes' labels.
"""

from __future__ import annotations

import copy
import functools
import re
from importlib.resources import files
from typing import Any

import orjson
from jsonschema import Draft202012Validator, FormatChecker

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.identifiers import PHONE, id_number_problem, uscc_problem
from hexie.domain.vocabulary import ENUMS


def value_list(codes: dict[str, str]) -> dict[str, Any]:
    """A value list as a schema: each code a `const` with its Chinese label as `title`."""
    return {"type": "string", "oneOf": [{"const": code, "title": label} for code, label in codes.items()]}


def choices(node: Any) -> list[tuple[str, str]] | None:
    """(code, label) of a value-list schema node, or None when the node is not one."""
    options = node.get("oneOf") if isinstance(node, dict) else None
    if not options or not all(isinstance(o, dict) and set(o) == {"const", "title"} for o in options):
        return None
    return [(o["const"], o["title"]) for o in options]


COMMON_DEFS: dict[str, Any] = {
    **{name: value_list(codes) for name, codes in ENUMS.items()},
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

_CJK = re.compile(r"[\u3400-\u9fff]")  # a label is Chinese when it has at least one of these

OCCURRED_ON = {
    "title": "业务日期",
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
        if schema.get("x-event-type") != name:
            raise ValueError(f"{path.name}: x-event-type must be the event type {name!r}")
        if not _CJK.search(schema.get("title", "")):
            raise ValueError(f"{path.name}: title must be the event type's Chinese label")
        schema["properties"] = {"occurred_on": OCCURRED_ON, **schema.get("properties", {})}
        schema.setdefault("additionalProperties", False)
        own = schema.get("$defs", {})
        if unknown := sorted(_refs(schema, set()) - set(COMMON_DEFS) - set(own)):
            raise ValueError(f"{path.name}: no definition for {', '.join(unknown)}")
        defs = {n: copy.deepcopy(COMMON_DEFS[n]) for n in sorted(_refs(schema, set())) if n not in own}
        if defs or own:
            schema["$defs"] = {**defs, **own}
        Draft202012Validator.check_schema(schema)
        out[name] = schema
    return out


LABELS = "x-labels"  # the compiled validator's copy of a value list's labels, for error messages


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every `#/$defs/…` reference replaced by its definition: validating
    then never resolves a reference (the served schemas keep theirs). A value list's
    `oneOf` of labelled `const`s becomes the `enum` of its codes (the same values pass)."""
    if (pairs := choices(node)) is not None:
        rest = {k: _inline(v, defs) for k, v in node.items() if k != "oneOf"}
        return {**rest, "enum": [code for code, _ in pairs], LABELS: dict(pairs)}
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
        elif error.validator == "enum" and (labels := error.schema.get(LABELS)):
            codes = error.validator_value
            labelled = any(labels.get(c, c) != c for c in codes)  # the units are their own labels
            message += " / 不是允许的取值" + ("，可选：" + "、".join(f"{c} {labels.get(c, c)}" for c in codes) if labelled else "")
        errors.append({"field": ".".join(["data", *path]), "message": message})
    unique = {(e["field"], e["message"]): e for e in errors}  # `required` reports each missing field per missing field
    return list(unique.values())


from hexie.schemas.labels import event_label, field_choices, field_label, value_label  # noqa: E402  (reads the above)
