"""P01 集体协商提升: typical wage-bargaining model enterprises and industries.

A county or city body nominates an enterprise (or an industry / region) each year;
the nominee is evaluated on 知晓率、满意率、规范率 (Annex 2: 坚持知晓率、满意率和规范率
三维度评定) and may then be selected as a city-level model, which is what Annex 1
counts (15 over three years). A selected model may be recommended on to the
province and, after that, to the nation.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .ids import NAMESPACE

# The rungs above the city, in order: a model goes to the nation through the province.
RECOMMENDATION_LADDER = ("provincial", "national")


class BargainingModel(Case):
    kind = "bargaining_model"
    plan = "P01"
    counted_by = "BargainingModelSelected"
    statuses = {"BargainingModelNominated": "nominated", "BargainingModelEvaluated": "evaluated",
                "BargainingModelSelected": "selected", "BargainingModelRecommended": "recommended"}

    @staticmethod
    def create_id(unit: str, scope: str, name: str, enterprise_id: str | None = None) -> UUID:
        # One case per enterprise; an industry or regional model is one per unit, scope and name.
        if scope == "enterprise" and enterprise_id is not None:
            return uuid5(NAMESPACE, f"bargaining_model:{enterprise_id}")
        return uuid5(NAMESPACE, f"bargaining_model:{unit}:{scope}:{name}")

    @event("BargainingModelNominated")
    def __init__(
        self,
        unit: str,
        scope: str,
        year: int,
        name: str,
        enterprise_id: str | None = None,
        industry: str | None = None,
    ) -> None:
        self.check_nominee(scope, enterprise_id)
        self.check_year_of_date(year)
        self.open_case(unit)
        self.scope = scope
        self.year = year
        self.name = name
        self.enterprise_id = enterprise_id
        self.industry = industry
        self.evaluations: list[dict] = []
        self.evaluation: dict | None = None  # the latest one counts
        self.selected: dict | None = None
        self.selected_on: str | None = None
        self.recommendations: list[dict] = []

    @event("BargainingModelEvaluated")
    def evaluate(self, awareness_rate: float, satisfaction_rate: float, compliance_rate: float, basis: str) -> None:
        self.evaluation = {
            "on": self.event_date,
            "awareness_rate": awareness_rate,
            "satisfaction_rate": satisfaction_rate,
            "compliance_rate": compliance_rate,
            "basis": basis,
        }
        self.evaluations.append(dict(self.evaluation))

    @event("BargainingModelSelected")
    def select(self, level: str, year: int) -> None:
        self.check_selectable(level, year)
        self.check_year_of_date(year, announced_later=True)
        self.selected = {"level": level, "year": year, "on": self.event_date}
        self.selected_on = self.event_date

    @event("BargainingModelRecommended")
    def recommend(self, to: str) -> None:
        self.check_recommendable(to)
        self.recommendations.append({"to": to, "on": self.event_date})

    # -- rules -------------------------------------------------------------

    @staticmethod
    def check_nominee(scope: str, enterprise_id: str | None) -> None:
        if scope == "enterprise" and enterprise_id is None:
            raise DomainError(
                "enterprise_id_required",
                "申报企业典型须指明企业案件 / an enterprise nominee must name its enterprise case",
                "data.enterprise_id",
            )

    def check_selectable(self, level: str, year: int) -> None:
        if level != "city":
            raise DomainError(
                "level_not_selectable",
                f"此处只能评选市级典型，{level} 须通过推荐 / only city-level selection is recorded here;"
                f" {level} is reached by a recommendation",
                "data.level",
            )
        if self.selected is not None:
            raise DomainError(
                "already_selected",
                f"已于 {self.selected['on']} 评选为典型 / already selected as a model on {self.selected['on']}",
                "data",
            )
        if self.evaluation is None:
            raise DomainError(
                "not_evaluated",
                "尚未进行知晓率、满意率、规范率评定，不能评选 / not evaluated on awareness, satisfaction and"
                " compliance rates yet: cannot be selected",
                "data",
            )
        if year < self.year:
            raise DomainError(
                "selected_before_nominated",
                f"评选年度 {year} 早于申报年度 {self.year} / selection year {year} is before the nomination year {self.year}",
                "data.year",
            )

    def check_recommendable(self, to: str) -> None:
        if to not in RECOMMENDATION_LADDER:
            raise DomainError(
                "level_not_recommendable",
                f"只能推荐至湖南省或国家，不能推荐至 {to} / a model is recommended to provincial or national, not {to}",
                "data.to",
            )
        if self.selected is None:
            raise DomainError(
                "not_selected",
                "尚未评选为市级典型，不能推荐 / not selected as a city model yet: cannot be recommended",
                "data",
            )
        done = {r["to"] for r in self.recommendations}
        if to in done:
            raise DomainError(
                "already_recommended", f"已推荐至 {to} / already recommended to {to}", "data.to"
            )
        rung = RECOMMENDATION_LADDER.index(to)
        if rung > 0 and RECOMMENDATION_LADDER[rung - 1] not in done:
            raise DomainError(
                "national_before_provincial",
                "须先推荐参加湖南省评选，才能推荐参加国家评选 / recommend to the province before the nation",
                "data.to",
            )
