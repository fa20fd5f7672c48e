"""跟踪指导: guidance visits, logged on key employers (P02) and cultivated enterprises (P03)."""

from __future__ import annotations


class GuidanceVisits:
    """Mixin for a Case with `self.visits` (a list) and `self.first_visit_on` (None until the first)."""

    def note_visit(self, visitor: str, method: str, findings: str, follow_up: str | None) -> None:
        """Body of the kind's `GuidanceVisitLogged` event (the first visit dates the P02 count)."""
        self.visits.append(
            {"on": self.event_date, "visitor": visitor, "method": method, "findings": findings, "follow_up": follow_up}
        )
        if self.first_visit_on is None:
            self.first_visit_on = self.event_date
