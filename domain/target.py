"""Annex 1 targets: how many cases each unit owes each plan, in total and per year.

A target is data, loaded from the seed (scripts/programme.py) and amendable by
an event, never a constant in code. One case per (unit, plan). `per_year` splits
the total over the programme years 2021–2023 ("3 (1/年)"); it is null when the
seed gives a bare number. When given it must add up to the total.

An amendment states the whole new target: `per_year` omitted means the amended
target has no yearly split.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .ids import NAMESPACE


class Target(Case):
    kind = "target"
    statuses = {"TargetAssigned": "assigned", "TargetAmended": "amended"}

    @staticmethod
    def create_id(unit: str, plan: str) -> UUID:
        # One target per unit and plan: assigning it twice is a conflict; change it by amending.
        return uuid5(NAMESPACE, f"target:{unit}:{plan}")

    @event("TargetAssigned")
    def __init__(
        self,
        unit: str,
        plan: str,
        total: int,
        per_year: dict[str, int] | None = None,
        note: str | None = None,
    ) -> None:
        self.check_per_year_sums(total, per_year)
        self.open_case(unit)
        self.plan = plan  # per case here: the plan the target is for
        self.total = total
        self.per_year = dict(per_year) if per_year is not None else None
        self.note = note
        self.amendments: list[dict] = []

    @event("TargetAmended")
    def amend(self, total: int, reason: str, per_year: dict[str, int] | None = None) -> None:
        self.check_per_year_sums(total, per_year)
        self.check_target_changes(total, per_year)
        self.amendments.append(
            {
                "on": self.event_date,
                "total": total,
                "per_year": dict(per_year) if per_year is not None else None,
                "reason": reason,
                "previous_total": self.total,
                "previous_per_year": self.per_year,
            }
        )
        self.total = total
        self.per_year = dict(per_year) if per_year is not None else None

    # -- rules -------------------------------------------------------------

    @staticmethod
    def check_per_year_sums(total: int, per_year: dict[str, int] | None) -> None:
        if per_year is not None and sum(per_year.values()) != total:
            raise DomainError(
                "per_year_does_not_sum",
                f"分年度目标合计 {sum(per_year.values())} 与总目标 {total} 不符 / the yearly targets add up to"
                f" {sum(per_year.values())}, not the total {total}",
                "data.per_year",
            )

    def check_target_changes(self, total: int, per_year: dict[str, int] | None) -> None:
        if total == self.total and (dict(per_year) if per_year is not None else None) == self.per_year:
            raise DomainError("nothing_to_amend", "目标没有变化 / the amended target is the same as the current one", "data")
