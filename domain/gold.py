"""选树: picking the "gold" (金牌) coordinators, mediation bodies and social organisations.

What Annex 1 counts for P07-P09; each kind has its own selection event, and shares
these rules: a thing is selected once, and not before it existed.
"""

from __future__ import annotations

from .case import DomainError


class GoldSelection:
    """Mixin for a Case with `self.gold` (None until selected) and a `what` label (zh, en)."""

    what: tuple[str, str]

    def select(self, year: int, citation: str) -> None:
        """Body of the kind's selection event."""
        self.check_year_of_date(year, announced_later=True)
        self.gold = {"year": year, "citation": citation, "selected_on": self.event_date}

    def check_not_selected(self) -> None:
        if self.gold is not None:
            zh, en = self.what
            raise DomainError(
                "already_selected",
                f"该{zh}已于 {self.gold['selected_on']} 选树为金牌{zh} / already selected as a gold {en} on {self.gold['selected_on']}",
                "data",
            )

    def check_established(self) -> None:
        if self.event_date < self.established_on:
            zh, en = self.what
            raise DomainError(
                "not_yet_established",
                f"选树日期 {self.event_date} 早于该{zh}成立时间 {self.established_on} / the {en} was only established on {self.established_on}",
                "data.occurred_on",
            )
