"""P09 协调组织引导: social organisations that help coordinate labour relations (Annex 6).

An organisation is registered with the Annex 6 columns (the 台账 the seed asks for by
2021-02) and may be selected once as a gold social organisation (金牌协调劳动关系社会组织),
which is what Annex 1 counts. As for mediation bodies, it cannot be selected before the
date it was established.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from .case import Case
from .gold import GoldSelection
from .ids import body_id


class SocialOrganisation(GoldSelection, Case):
    what = ("协调劳动关系社会组织", "social organisation")
    kind = "social_organisation"
    plan = "P09"
    uscc: str | None = None  # bodies registered before codes were taken have none
    counted_by = "GoldSocialOrganisationSelected"
    statuses = {"SocialOrganisationRegistered": "registered", "GoldSocialOrganisationSelected": "gold"}

    @staticmethod
    def create_id(unit: str, name: str, uscc: str | None = None) -> UUID:
        return body_id("social_organisation", unit, name, uscc)

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
        uscc: str | None = None,
    ) -> None:
        if uscc is not None:
            self.check_uscc(uscc)
        self.open_case(unit)
        self.uscc = uscc
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
        self.select(year, citation)

    # -- rules -------------------------------------------------------------


