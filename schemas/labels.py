"""The Chinese labels of event types, fields and value lists, read from the schemas.

The schemas are the one place the labels are written (see `hexie.schemas`); the console,
the exports and the OpenAPI document all take them from there, through these four calls:

    event_label("GuidanceVisitLogged")                      -> "跟踪指导"
    field_label("CoordinatorRegistered", "id_number")       -> "身份证号码"
    field_label("ForumHeld", "appeals.category")            -> "诉求类别"
    value_label("visit_method", "on_site")                  -> "实地指导"
    value_label("GuidanceVisitLogged.method", "on_site")    -> "实地指导"
    field_choices("BargainingModelRecommended", "to")       -> [("provincial", …), ("national", …)]

A field is a dotted path into the event's data (`appeals.category`, `per_year.2021`); array
indexes and a leading `data.` are skipped, so the `field` of a `problems()` entry
(`data.appeals.0.category`) can be passed as it is. A value list is named by its `$defs` name
(`visit_method`, `ethnicity`, `appeal_category`) or by `EventType.field`. An unknown event
type, field, list or code raises KeyError; asking for the choices of a field that is not a
value list raises ValueError.
"""

from __future__ import annotations

import functools
from typing import Any

from hexie.schemas import choices, event_schemas


def _schema(event_type: str) -> dict[str, Any]:
    try:
        return event_schemas()[event_type]
    except KeyError:
        raise KeyError(f"unknown event type {event_type!r}") from None


def _field(event_type: str, field: str) -> dict[str, Any]:
    node = _schema(event_type)
    for part in field.removeprefix("data.").split("."):
        if "items" in node and "properties" not in node:  # an array: its items' fields
            node = node["items"]
            if part.isdigit():
                continue
        if part not in node.get("properties", {}):
            raise KeyError(f"{event_type} has no field {field!r}")
        node = node["properties"][part]
    return node


def event_label(event_type: str) -> str:
    """The event type's Chinese label (its schema's `title`)."""
    return _schema(event_type)["title"]


def field_label(event_type: str, field: str) -> str:
    """The Chinese label of one of the event's fields (dotted for a nested field)."""
    return _field(event_type, field)["title"]


def field_choices(event_type: str, field: str) -> list[tuple[str, str]]:
    """(code, label) of every value the field takes, in the list's order (an array of
    values: its items' values); a sibling `enum` narrows the list to the codes it allows."""
    node = _field(event_type, field)
    if "items" in node:
        node = node["items"]
    target = node
    if "$ref" in node:
        target = _schema(event_type)["$defs"][node["$ref"].removeprefix("#/$defs/")]
    pairs = choices(target)
    if pairs is None:
        raise ValueError(f"{event_type}.{field} is not a value list")
    allowed = node.get("enum")
    return [(code, label) for code, label in pairs if allowed is None or code in allowed]


@functools.cache
def _lists() -> dict[str, dict[str, str]]:
    """Every value list the event schemas carry, by its `$defs` name."""
    out: dict[str, dict[str, str]] = {}
    for schema in event_schemas().values():
        for name, definition in schema.get("$defs", {}).items():
            if (pairs := choices(definition)) is not None:
                out[name] = dict(pairs)
    return out


def value_label(list_name_or_field: str, code: str) -> str:
    """The Chinese label of a code: of a value list by name (`visit_method`) or of a
    field (`GuidanceVisitLogged.method`)."""
    if "." in list_name_or_field:
        event_type, field = list_name_or_field.split(".", 1)
        labels = dict(field_choices(event_type, field))
    elif list_name_or_field in _lists():
        labels = _lists()[list_name_or_field]
    else:
        raise KeyError(f"unknown value list {list_name_or_field!r}")
    try:
        return labels[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a code of {list_name_or_field}") from None
