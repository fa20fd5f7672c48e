"""P09 协调组织引导: social organisations that help coordinate labour relations (Annex 6).

An organisation is registered with the Annex 6 columns (the 台账 the seed asks for by
2021-02) and may be selected once as a gold social organisation (金牌协调劳动关系社会组织),
which is what Annex 1 counts. As for mediation bodies, it cannot be selected before the
date it was established.
"""

from __future__ import annotations

from eventsourcing.domain import event

from .case import Case, DomainError


class SocialOrganisation(Case):
    kind = "social_organisation"
    plan = "P09"

    @event("SocialOrganisationRegistered")
    def __init__(
        self,
        unit: str,
        township: str,
        name: str,
        nature: str,
        address: str,
        established_on: str,
        head: str,
        coordinator_count: int,
        contact_name: str,
        contact_phone: str,
    ) -> None:
        self.open_case(unit)
        self.township = township
        self.name = name
        self.nature = nature
        self.address = address
        self.established_on = established_on
        self.head = head
        self.coordinator_count = coordinator_count
        self.contact_name = contact_name
        self.contact_phone = contact_phone
        self.gold: dict | None = None

    @event("GoldSocialOrganisationSelected")
    def select_gold(self, year: int, citation: str) -> None:
        self.check_not_selected()
        self.check_established()
        self.gold = {"year": year, "citation": citation, "selected_on": self.event_date}

    # -- rules -------------------------------------------------------------

    def check_not_selected(self) -> None:
        if self.gold is not None:
            raise DomainError(
                "already_selected",
                f"该社会组织已于 {self.gold['selected_on']} 选树为金牌协调劳动关系社会组织"
                f" / already selected as a gold social organisation on {self.gold['selected_on']}",
                "data",
            )

    def check_established(self) -> None:
        if self.event_date < self.established_on:
            raise DomainError(
                "not_yet_established",
                f"选树日期 {self.event_date} 早于该社会组织成立时间 {self.established_on}"
                f" / the organisation was only established on {self.established_on}",
                "data.occurred_on",
            )
