"""P04 湘融湘爱推进: cooperation units (社会协作单位) and migrant-worker forums (农民工恳谈会).

Enterprises, intermediaries and social organisations that serve migrant workers are
signed up as cooperation units; what Annex 1 counts is the plaque (授牌), awarded at
most once per unit and counted in the programme year of its date. Forums collect
migrant workers' appeals (诉求); each appeal is followed until it is resolved.
"""

from __future__ import annotations

from eventsourcing.domain import event

from .case import Case, DomainError


class CooperationUnit(Case):
    kind = "cooperation_unit"
    plan = "P04"
    counted_by = "PlaqueAwarded"
    statuses = {"CooperationUnitSigned": "signed", "PlaqueAwarded": "awarded", "CooperationUnitRevoked": "revoked"}
    closing = frozenset({"CooperationUnitRevoked"})

    @event("CooperationUnitSigned")
    def __init__(
        self,
        unit: str,
        name: str,
        category: str,
        address: str,
        contact_name: str,
        contact_phone: str,
        services: str,
    ) -> None:
        self.open_case(unit)
        self.name = name
        self.category = category
        self.address = address
        self.contact_name = contact_name
        self.contact_phone = contact_phone
        self.services = services
        self.signed_on = self.event_date
        self.plaque: dict | None = None
        self.revoked_reason: str | None = None

    @event("PlaqueAwarded")
    def award_plaque(self, year: int, plaque_no: str | None = None) -> None:
        self.check_not_awarded()
        self.check_year_of_date(year, announced_later=True)
        self.plaque = {"year": year, "plaque_no": plaque_no, "awarded_on": self.event_date}

    @event("CooperationUnitRevoked")
    def revoke(self, reason: str) -> None:
        self.revoked_reason = reason
        self.close_case()

    # -- rules -------------------------------------------------------------

    def check_not_awarded(self) -> None:
        if self.plaque is not None:
            raise DomainError(
                "already_awarded",
                f"该协作单位已于 {self.plaque['awarded_on']} 授牌 / the plaque was already awarded on {self.plaque['awarded_on']}",
                "data",
            )


class Forum(Case):
    kind = "forum"
    plan = "P04"
    statuses = {"ForumHeld": "held"}

    @event("ForumHeld")
    def __init__(self, unit: str, title: str, venue: str, participants: int, appeals: list[dict]) -> None:
        self.check_appeal_nos_unique(appeals)
        self.open_case(unit)
        self.title = title
        self.venue = venue
        self.participants = participants
        self.held_on = self.event_date
        # Fresh dicts: the event's own data must never change when an appeal is resolved.
        self.appeals: dict[str, dict] = {
            a["appeal_no"]: {
                "appeal_no": a["appeal_no"],
                "text": a["text"],
                "category": a.get("category"),
                "resolution": None,
                "resolved_on": None,
            }
            for a in appeals
        }
        self.open_appeals: list[str] = [a["appeal_no"] for a in appeals]

    @event("AppealResolved")
    def resolve_appeal(self, appeal_no: str, resolution: str) -> None:
        self.check_appeal_open(appeal_no)
        self.appeals[appeal_no]["resolution"] = resolution
        self.appeals[appeal_no]["resolved_on"] = self.event_date
        self.open_appeals.remove(appeal_no)

    # -- rules -------------------------------------------------------------

    @staticmethod
    def check_appeal_nos_unique(appeals: list[dict]) -> None:
        seen: set[str] = set()
        for i, appeal in enumerate(appeals):
            if appeal["appeal_no"] in seen:
                raise DomainError(
                    "duplicate_appeal_no",
                    f"诉求编号 {appeal['appeal_no']} 重复 / appeal number {appeal['appeal_no']} is used twice in this forum",
                    f"data.appeals.{i}.appeal_no",
                )
            seen.add(appeal["appeal_no"])

    def check_appeal_open(self, appeal_no: str) -> None:
        appeal = self.appeals.get(appeal_no)
        if appeal is None:
            raise DomainError(
                "unknown_appeal",
                f"本次恳谈会没有编号为 {appeal_no} 的诉求 / no appeal {appeal_no} was collected at this forum",
                "data.appeal_no",
            )
        if appeal["resolved_on"] is not None:
            raise DomainError(
                "appeal_already_resolved",
                f"诉求 {appeal_no} 已于 {appeal['resolved_on']} 办结 / appeal {appeal_no} was resolved on {appeal['resolved_on']}",
                "data.appeal_no",
            )
