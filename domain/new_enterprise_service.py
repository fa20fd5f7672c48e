"""P06 新企业用工服务: employment guidance for newly registered enterprises.

Each county or district guides at least 50 new enterprises a year (780 over the
programme); a case counts once, in the year of `NewEnterpriseServiceProvided`.
Only an enterprise enrolled as newly registered can be served (`check_enterprise`,
called by the application with the enterprise case's state). Later guidance is a
follow-up on the same case.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .ids import NAMESPACE


class NewEnterpriseService(Case):
    kind = "new_enterprise_service"
    plan = "P06"
    counted_by = "NewEnterpriseServiceProvided"
    statuses = {"NewEnterpriseServiceProvided": "served"}

    @staticmethod
    def create_id(enterprise_id: str) -> UUID:
        # A new enterprise is counted once; further guidance is a follow-up.
        return uuid5(NAMESPACE, f"new_enterprise_service:{enterprise_id}")

    @event("NewEnterpriseServiceProvided")
    def __init__(self, unit: str, enterprise_id: str, method: str, content: str) -> None:
        self.open_case(unit)
        self.enterprise_id = enterprise_id
        self.method = method  # the first service's method; `methods` has every round's
        self.content = content
        self.first_served_on = self.event_date
        self.services: list[dict] = [{"on": self.event_date, "method": method, "content": content}]
        self.methods: list[str] = [method]

    @event("NewEnterpriseServiceFollowedUp")
    def follow_up(self, method: str, content: str) -> None:
        self.services.append({"on": self.event_date, "method": method, "content": content})
        if method not in self.methods:
            self.methods.append(method)

    # -- rules -------------------------------------------------------------

    @classmethod
    def check_enterprise(cls, enterprise: dict) -> None:
        """The enterprise case (its `state()`) must be a newly registered enterprise."""
        if not enterprise.get("newly_registered"):
            raise DomainError(
                "not_newly_registered",
                "该企业不是新注册企业，不属于新企业用工服务对象 / the enterprise is not newly registered:"
                " new-enterprise service is for newly registered enterprises only",
                "data.enterprise_id",
            )
