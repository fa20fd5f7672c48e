"""The demo's programme as stored events, in bulk: each command decided on its case in memory,
as the service layer decides it, and encoded by hexie's mapper (which seals personal data).

The demo appends the same commands through `Hexie.open_case` / `Hexie.append`, about a
thousand events a second; the benchmark's million are COPYed instead (`data`). What the
service layer checks is checked here too, so the stored set is one the API could have
written: each event type's data against its JSON Schema (once per type: the planner gives a
type one shape), the cases a command names (their kind and the command's `check_<kind>`
rule), the case's own rules (the aggregate), and no case opened twice.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from hexie.domain.commands import DuplicateCase
from hexie.domain.case import Case, Context, acting
from hexie.domain.kinds import CREATORS, check_references
from hexie.schemas import problems

from ..demo import Command, init_ids
from ..programme import INIT_ACTOR


class Encoder:
    """Decides commands on cases kept in memory; `rows` are the stored events not yet written."""

    def __init__(self, mapper: Any):
        self.mapper = mapper
        self.ids: dict[str, UUID] = init_ids()  # the planner's case keys, resolved as cases open
        self.cases: dict[UUID, Case] = {}
        self.rows: list[tuple[UUID, int, str, bytes]] = []  # (originator_id, originator_version, topic, state)
        self.emitted = 0
        self.checked: set[str] = set()

    def init(self, command: dict[str, Any]) -> None:
        """A target or measure, as `hexie init` records it."""
        self._decide(command["type"], command["data"], Context(actor=INIT_ACTOR), None)

    def command(self, c: Command, request_id: str) -> None:
        """One of the planned programme's commands, as the demo appends it."""
        case = self._decide(c.type, c.data_for(self.ids), c.context(request_id),
                            None if c.opens else self.cases[self.ids[c.key]])
        if c.opens:
            self.ids[c.key] = case.id

    def _decide(self, type_: str, data: dict[str, Any], context: Context, case: Case | None) -> Case:
        if type_ not in self.checked:
            if errors := problems(type_, data):
                raise ValueError(f"bench data for {type_} breaks its schema: {errors}")
            self.checked.add(type_)
        data = dict(data)
        context = replace(context, occurred_on=data.pop("occurred_on"))
        cls = CREATORS[type_] if case is None else type(case)
        check_references(cls, data, self.cases.get)
        with acting(context):
            if case is None:
                case = cls(**data)
                if case.id in self.cases:
                    raise DuplicateCase(case.id, cls.kind)
            else:
                case.execute(type_, data)
        self.cases[case.id] = case
        for event in case.collect_events():
            stored = self.mapper.to_stored_event(event)
            self.rows.append((stored.originator_id, stored.originator_version, stored.topic, stored.state))
            self.emitted += 1
        return case

