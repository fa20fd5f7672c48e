"""Rules decide commands; stored events are facts: a case loads whatever the rules say now."""

from __future__ import annotations

import pytest

from hexie.domain.arrears import ArrearsCase
from hexie.domain.case import DomainError, rule
from tests.unit.stories import on, replayed


def test_a_rule_made_stricter_later_refuses_new_commands_but_not_stored_events(monkeypatch):
    with on("2021-12-20"):
        case = ArrearsCase(unit="平江县", channel="union", employer_name="某公司", amount_owed="1000",
                           workers_affected=2, description="欠薪")
    with on("2022-01-05"):
        case.assign(to_unit="平江县", deadline="2022-01-20")

    def stricter(self, deadline):  # as if a later version refused every assignment
        raise DomainError("no_assignments", "no more assignments")

    monkeypatch.setattr(ArrearsCase, "check_deadline", rule(stricter))  # guarded as every check_* is
    loaded = replayed(case)  # the stored assignment is applied again: it stands
    assert loaded.deadline == "2022-01-20" and loaded.status == "assigned"
    with pytest.raises(DomainError, match="no more assignments"), on("2022-01-06"):
        loaded.assign(to_unit="平江县", deadline="2022-01-25")  # a new command meets the new rule
