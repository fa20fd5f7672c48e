"""P07 协调员配备覆盖: labour-relations coordinators (Annex 3 劳动关系协调员情况表).

A coordinator is registered with the Annex 3 columns, may be certified (职业技能等级认定,
possibly more than once as they move up a level) and may be selected once as a gold
coordinator (金牌劳动关系协调员), which is what Annex 1 counts. The pool is certified
coordinators and full-time collective-bargaining instructors (专职集体协商指导员),
as the seed says. Ids are random: a case id never derives from personal data.
"""

from __future__ import annotations

from eventsourcing.domain import event

from .case import Case, DomainError
from .gold import GoldSelection
from .people import RegisteredPerson


class Coordinator(RegisteredPerson, GoldSelection, Case):
    what = ("劳动关系协调员", "coordinator")
    kind = "coordinator"
    identity = "id_number"
    enterprise_id: str | None = None  # the enterprise the coordinator serves, where named (P07 coverage)
    plan = "P07"
    counted_by = "GoldCoordinatorSelected"
    statuses = {"CoordinatorRegistered": "registered", "CoordinatorCertified": "certified", "GoldCoordinatorSelected": "gold"}

    @event("CoordinatorRegistered")
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
        full_time_bargaining_instructor: bool = False,
        enterprise_id: str | None = None,
    ) -> None:
        self.open_case(unit)
        self.enterprise_id = enterprise_id
        self.register_person(name, gender, ethnicity, id_number, employer, position, education, appointed_on, phone)
        self.full_time_bargaining_instructor = full_time_bargaining_instructor
        self.level: str | None = None
        self.certificate_type: str | None = None
        self.certificate_no: str | None = None
        self.certified_on: str | None = None
        self.certificates: list[dict] = []
        self.gold: dict | None = None

    @event("CoordinatorCertified")
    def certify(self, level: str, certificate_type: str, certificate_no: str) -> None:
        self.check_has_certificate(certificate_type)
        self.level = level
        self.certificate_type = certificate_type
        self.certificate_no = certificate_no
        self.certified_on = self.event_date
        self.certificates.append(
            {"level": level, "certificate_type": certificate_type, "certificate_no": certificate_no, "on": self.event_date}
        )

    @event("GoldCoordinatorSelected")
    def select_gold(self, year: int, citation: str) -> None:
        self.check_not_selected()
        self.check_in_gold_pool()
        self.select(year, citation)

    @event("CoordinatorDetailsAmended")
    def amend_details(
        self,
        employer: str | None = None,
        position: str | None = None,
        education: str | None = None,
        phone: str | None = None,
        enterprise_id: str | None = None,
    ) -> None:
        changes = {k: v for k, v in locals().items() if k != "self" and v is not None}
        self.check_changes(changes)
        for key, value in changes.items():
            setattr(self, key, value)

    # -- rules -------------------------------------------------------------

    @staticmethod
    def check_has_certificate(certificate_type: str) -> None:
        if certificate_type == "none":
            raise DomainError(
                "no_certificate",
                "取证登记须为职业技能等级证书或职业资格证书，“未取证”不能登记 / a certification needs a certificate;"
                " 'none' cannot be recorded as one",
                "data.certificate_type",
            )


    def check_in_gold_pool(self) -> None:
        if self.certified_on is None and not self.full_time_bargaining_instructor:
            raise DomainError(
                "not_certified",
                "金牌协调员须从已取证的劳动关系协调员或专职集体协商指导员中选树"
                " / a gold coordinator must be certified or a full-time collective-bargaining instructor",
                "data",
            )

