"""Enterprises: master data every plan refers to (Annexes 7 and 8 take their columns from here)."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case
from .ids import NAMESPACE


class Enterprise(Case):
    kind = "enterprise"
    statuses = {"EnterpriseEnrolled": "enrolled"}
    size_class: str | None = None  # cases enrolled before sizes were recorded have none

    @staticmethod
    def create_id(uscc: str) -> UUID:
        # One case per 统一社会信用代码: enrolling the same enterprise twice is a conflict.
        return uuid5(NAMESPACE, f"enterprise:{uscc}")

    @event("EnterpriseEnrolled")
    def __init__(
        self,
        name: str,
        uscc: str,
        unit: str,
        address: str,
        industry: str,
        ownership: str,
        contact_name: str,
        contact_phone: str,
        headcount: int,
        newly_registered: bool,
        registration_date: str | None = None,
        size_class: str | None = None,
    ) -> None:
        self.check_uscc(uscc)
        self.open_case(unit)
        self.name = name
        self.uscc = uscc
        self.address = address
        self.industry = industry
        self.ownership = ownership
        self.contact_name = contact_name
        self.contact_phone = contact_phone
        self.headcount = headcount
        self.headcount_as_of = self.event_date
        self.newly_registered = newly_registered
        self.registration_date = registration_date
        self.size_class = size_class  # recorded; else derived from headcount and industry (domain.size_class)

    @event("EnterpriseDetailsAmended")
    def amend_details(
        self,
        name: str | None = None,
        address: str | None = None,
        industry: str | None = None,
        ownership: str | None = None,
        contact_name: str | None = None,
        contact_phone: str | None = None,
        newly_registered: bool | None = None,
        registration_date: str | None = None,
        size_class: str | None = None,
    ) -> None:
        changes = {k: v for k, v in locals().items() if k != "self" and v is not None}
        self.check_changes(changes)
        for key, value in changes.items():
            setattr(self, key, value)

    @event("HeadcountReported")
    def report_headcount(self, headcount: int, as_of_date: str | None = None) -> None:
        self.headcount = headcount
        self.headcount_as_of = as_of_date or self.event_date

