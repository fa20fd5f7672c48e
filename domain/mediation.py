"""P08 调解组织选树: labour and personnel dispute mediation bodies (Annex 4) and their mediators (Annex 5).

A mediation body is registered with the Annex 4 columns and may be selected once as a
gold mediation body (金牌劳动人事争议调解组织), which is what Annex 1 counts; a body
cannot be selected before the date it was established. Mediators are registered with
the Annex 5 columns, optionally linked to their body, and leave the register when
deregistered. A body is one case per 统一社会信用代码 (or unit and name); a mediator one case per 身份证号码,
found by a keyed hash outside the log — people's ids stay random: a case id never derives from personal data.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from .case import Case
from .gold import GoldSelection
from .ids import body_id
from .people import RegisteredPerson


class MediationBody(GoldSelection, Case):
    what = ("调解组织", "mediation body")
    kind = "mediation_body"
    plan = "P08"
    uscc: str | None = None  # bodies registered before codes were taken have none
    counted_by = "GoldMediationBodySelected"
    statuses = {"MediationBodyRegistered": "registered", "GoldMediationBodySelected": "gold"}

    @staticmethod
    def create_id(unit: str, name: str, uscc: str | None = None) -> UUID:
        return body_id("mediation_body", unit, name, uscc)

    @event("MediationBodyRegistered")
    def __init__(
        self,
        unit: str,
        township: str,
        name: str,
        nature: str,
        address: str,
        established_on: str,
        head: str,
        contact_name: str,
        contact_phone: str,
        mediator_count: int | None = None,
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
        self.mediator_count = mediator_count  # as stated when registered; Annex 4 counts its mediators in Annex 5
        self.contact_name = contact_name
        self.contact_phone = contact_phone
        self.gold: dict | None = None

    @event("GoldMediationBodySelected")
    def select_gold(self, year: int, citation: str) -> None:
        self.check_not_selected()
        self.check_established()
        self.select(year, citation)

    # -- rules -------------------------------------------------------------




class Mediator(RegisteredPerson, Case):
    kind = "mediator"
    identity = "id_number"
    plan = "P08"
    statuses = {"MediatorRegistered": "registered", "MediatorDeregistered": "deregistered"}
    closing = frozenset({"MediatorDeregistered"})

    @event("MediatorRegistered")
    def __init__(
        self,
        unit: str,
        name: str,
        gender: str,
        ethnicity: str,
        id_number: str,
        employer: str,
        position: str,
        education: str,
        appointed_on: str,
        phone: str,
        mediation_body_id: str | None = None,
    ) -> None:
        self.open_case(unit)
        self.mediation_body_id = mediation_body_id
        self.register_person(name, gender, ethnicity, id_number, employer, position, education, appointed_on, phone)
        self.deregistered_reason: str | None = None

    @event("MediatorDeregistered")
    def deregister(self, reason: str) -> None:
        self.deregistered_reason = reason
        self.close_case()
