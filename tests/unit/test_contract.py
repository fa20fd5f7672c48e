"""The event vocabulary is the API: every command method matches its schema, for every kind."""

import inspect

import pytest

from hexie.domain.kinds import CREATORS, KINDS, TOPICS
from hexie.schemas import event_schemas

SIGNATURES = [
    (cls, name, "__init__" if name == cls.created_event else method)
    for cls in KINDS.values()
    for name, method in [(cls.created_event, "__init__"), *cls.commands.items()]
]


@pytest.mark.parametrize("cls,event_type,method", SIGNATURES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_method_parameters_are_the_schema_properties(cls, event_type, method):
    schema = event_schemas()[event_type]
    func = getattr(cls, method)
    func = getattr(func, "decorated_func", None) or getattr(getattr(func, "event_decorator", None), "decorated_func", func)
    params = {n: p for n, p in inspect.signature(func).parameters.items() if n != "self"}
    assert set(schema["properties"]) - {"occurred_on"} == set(params)
    assert set(schema.get("required", [])) == {n for n, p in params.items() if p.default is p.empty}


def test_every_schema_is_an_event_some_kind_takes():
    used = {name for _, name in TOPICS.values()}
    assert set(event_schemas()) == used


def test_creating_events_are_unique_and_every_creator_takes_a_unit():
    assert len(CREATORS) == len(KINDS)
    for name in CREATORS:
        assert "unit" in event_schemas()[name]["required"], name
