"""P05 企业薪酬指引: pay-distribution guidance to enterprises, and salary-survey feedback.

Annex 1 counts enterprises given guidance (每个县市区每年负责指导服务不少于1户企业):
a `wage_guidance` case counts once, in the year it is opened — its creating event
is the first guidance; later rounds are follow-ups. Salary-survey feedback
(Annex 2: ≥90 % of surveyed enterprises get feedback, ≥10 % a personalised
service) is a separate kind, see `SalarySurveyFeedback`.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .ids import NAMESPACE


class WageGuidance(Case):
    kind = "wage_guidance"
    plan = "P05"
    counted_by = "WageGuidanceProvided"  # the first guidance: a case counts once
    statuses = {"WageGuidanceProvided": "guided"}

    @staticmethod
    def create_id(enterprise_id: str) -> UUID:
        # One guidance case per enterprise; further guidance is a follow-up on it.
        return uuid5(NAMESPACE, f"wage_guidance:{enterprise_id}")

    @event("WageGuidanceProvided")
    def __init__(self, unit: str, enterprise_id: str, group: str, content: str) -> None:
        self.open_case(unit)
        self.enterprise_id = enterprise_id
        self.group = group  # the first guidance's group; `groups` has every round's
        self.content = content
        self.first_guided_on = self.event_date
        self.rounds: list[dict] = [{"on": self.event_date, "group": group, "content": content}]
        self.groups: list[str] = [group]

    @event("WageGuidanceFollowedUp")
    def follow_up(self, group: str, content: str) -> None:
        self.rounds.append({"on": self.event_date, "group": group, "content": content})
        if group not in self.groups:
            self.groups.append(group)


class SalarySurveyFeedback(Case):
    """Salary-survey data fed back to an enterprise that took part in the national survey.

    Its own kind, not an event of `wage_guidance`: the surveyed enterprises are
    the survey's sample, not enterprises the units chose to guide. A surveyed
    enterprise has not necessarily been given pay-distribution guidance, and
    feedback must not count to the P05 target of Annex 1 — it is measured
    against the survey's own bars (feedback to ≥90 % of surveyed enterprises,
    personalised service to ≥10 %). One case per enterprise and survey year.
    """

    kind = "salary_survey_feedback"
    plan = "P05"  # its plan, but it does not count to Annex 1 (see above)
    statuses = {"SalarySurveyFeedbackProvided": "provided"}

    @staticmethod
    def create_id(enterprise_id: str, survey_year: int) -> UUID:
        return uuid5(NAMESPACE, f"salary_survey_feedback:{enterprise_id}:{survey_year}")

    @event("SalarySurveyFeedbackProvided")
    def __init__(self, unit: str, enterprise_id: str, survey_year: int, personalised: bool) -> None:
        self.check_survey_year(survey_year)
        self.open_case(unit)
        self.enterprise_id = enterprise_id
        self.survey_year = survey_year
        self.personalised = personalised

    def check_survey_year(self, survey_year: int) -> None:
        year = int(self.event_date[:4])
        if survey_year > year:
            raise DomainError(
                "survey_year_in_future",
                f"调查年度 {survey_year} 晚于反馈日期所在年度 {year} / feedback dated {year} cannot be on the"
                f" {survey_year} survey",
                "data.survey_year",
            )


class SalarySurvey(Case):
    """The national salary survey's sample in Yueyang for one year (国家薪酬调查): the enterprises
    surveyed, against which the feedback (≥90 % of them) and personalised service (≥10 %) of
    Annex 2 are measured. One case per survey year, kept by the city bureau; a corrected
    sample replaces the one recorded."""

    kind = "salary_survey"
    plan = "P05"
    statuses = {"SalarySurveySampleRecorded": "recorded", "SalarySurveySampleAmended": "amended"}
    FEEDBACK_BAR, PERSONALISED_BAR = 90.0, 10.0  # percent of the sample (Annex 2, P05)

    @staticmethod
    def create_id(survey_year: int) -> UUID:
        return uuid5(NAMESPACE, f"salary_survey:{survey_year}")

    @event("SalarySurveySampleRecorded")
    def __init__(self, unit: str, survey_year: int, enterprise_ids: list[str], note: str | None = None) -> None:
        self.check_no_repeats(enterprise_ids)
        self.open_case(unit)
        self.survey_year = survey_year
        self.enterprise_ids = list(enterprise_ids)
        self.note = note

    @event("SalarySurveySampleAmended")
    def amend_sample(self, enterprise_ids: list[str], reason: str) -> None:
        self.check_no_repeats(enterprise_ids)
        self.check_changes({"enterprise_ids": list(enterprise_ids)})
        self.enterprise_ids = list(enterprise_ids)
        self.amended_reason = reason

    @staticmethod
    def check_no_repeats(enterprise_ids: list[str]) -> None:
        if len(set(enterprise_ids)) != len(enterprise_ids):
            raise DomainError("enterprise_repeated", "样本中有重复的企业 / an enterprise appears twice in the sample",
                              "data.enterprise_ids")
