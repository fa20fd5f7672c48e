"""P10 工资支付亮剑: wage-arrears cases, from the clue to the published typical case.

A clue (线索) comes in by some channel, is assigned (交办) to a unit with a
deadline, may be supervised (督办) and the employer interviewed (约谈); wages are
recovered in one or more instalments, never more in total than was owed. A case
closes with an outcome, and a closed case is off the 动态清零 list — so it closes only
when it is cleared: the wages recovered, or, with money still owed, an outcome by which
the claim passes to another authority (arbitration or the courts: transferred_out,
court_enforcement; the criminal courts: referred_to_police), the workers paid from the
emergency fund (advance_paid), or nothing owed after all (unfounded). Under 劳动保障监察
条例 第十八条 a case is cancelled (撤销立案) only once the violation is corrected, so
case_cancelled needs nothing owed; blacklisting (列入失信联合惩戒对象名单) is a sanction that
pays no one, so a blacklisted employer that still owes stays open. A closed case may then be published once as a typical
case (典型案例): that is what counts to Annex 1 for the case's unit (DESIGN 1).

Money is yuan as decimal strings; sums are done with `decimal.Decimal`.
"""

from __future__ import annotations

from decimal import Decimal

from eventsourcing.domain import event

from .case import Case, DomainError

CENT = Decimal("0.01")

# Outcomes that clear a case with money still owed (DOMAIN-NOTES 5): the claim passes to
# another authority, the workers were paid from the emergency fund, or nothing was owed.
OUTCOMES_WITH_BALANCE = frozenset(
    {
        "transferred_out",
        "referred_to_police",
        "court_enforcement",
        "advance_paid",
        "unfounded",
    }
)
# Outcomes that need the wages paid first, and why.
PAID_FIRST = {
    "case_cancelled": ("cancel_requires_correction",
                       "撤销立案须以违法行为已改正为前提（劳动保障监察条例第十八条）：工资尚未付清",
                       "a case is cancelled only once the violation is corrected (LSI art. 18): wages are still owed"),
    "blacklisted": ("blacklisted_still_owed",
                    "列入失信联合惩戒对象名单是惩戒，农民工并未拿到工资：欠薪未清的案件在动态清零中仍未办结",
                    "blacklisting is a sanction that pays no one: a case with wages still owed stays open for 动态清零"),
}


def _yuan(value: Decimal) -> str:
    return str(value.quantize(CENT))


class ArrearsCase(Case):
    kind = "arrears_case"
    plan = "P10"
    counted_by = "TypicalCasePublished"
    statuses = {"ArrearsClueReceived": "received", "ArrearsCaseAssigned": "assigned", "ArrearsCaseClosed": "closed"}
    closing = frozenset({"ArrearsCaseClosed"})
    # A closed case is what gets published as a typical case.
    after_close = frozenset({"TypicalCasePublished"})

    @event("ArrearsClueReceived")
    def __init__(
        self,
        unit: str,
        channel: str,
        employer_name: str,
        amount_owed: str,
        workers_affected: int,
        description: str,
        employer_uscc: str | None = None,
        project: str | None = None,
    ) -> None:
        if employer_uscc is not None:
            self.check_uscc(employer_uscc, "data.employer_uscc")
        self.open_case(unit)
        self.channel = channel
        self.employer_name = employer_name
        self.employer_uscc = employer_uscc
        self.project = project
        self.amount_owed = _yuan(Decimal(amount_owed))
        self.workers_affected = workers_affected
        self.description = description
        self.recovered = _yuan(Decimal(0))
        self.outstanding = self.amount_owed
        self.workers_paid = 0
        self.recoveries: list[dict] = []
        self.status = "received"
        self.assigned_to: str | None = None
        self.deadline: str | None = None
        self.assignments: list[dict] = []
        self.supervisions: list[dict] = []
        self.interviews: list[dict] = []
        self.outcome: str | None = None
        self.close_note: str | None = None
        self.published = False
        self.publication: dict | None = None

    @event("ArrearsCaseAssigned")
    def assign(self, to_unit: str, deadline: str, working_days: int | None = None) -> None:
        """交办: the latest assignment is the one that counts."""
        self.check_deadline(deadline)
        self.assignments.append(
            {"on": self.event_date, "to_unit": to_unit, "deadline": deadline, "working_days": working_days}
        )
        self.assigned_to = to_unit
        self.deadline = deadline
        self.status = "assigned"

    @event("ArrearsCaseSupervised")
    def supervise(self, supervisor: str, note: str) -> None:
        """督办."""
        self.supervisions.append({"on": self.event_date, "supervisor": supervisor, "note": note})

    @event("EmployerInterviewed")
    def interview_employer(self, interviewee: str, note: str) -> None:
        """约谈."""
        self.interviews.append({"on": self.event_date, "interviewee": interviewee, "note": note})

    @event("WagesRecovered")
    def recover_wages(self, amount: str, workers: int) -> None:
        self.check_recovery_within_owed(amount)
        recovered = Decimal(self.recovered) + Decimal(amount)
        self.recovered = _yuan(recovered)
        self.outstanding = _yuan(Decimal(self.amount_owed) - recovered)
        self.workers_paid += workers
        self.recoveries.append({"on": self.event_date, "amount": _yuan(Decimal(amount)), "workers": workers})

    @event("ArrearsCaseClosed")
    def close(self, outcome: str, note: str | None = None) -> None:
        self.check_nothing_owed_unless_explained(outcome)
        self.outcome = outcome
        self.close_note = note
        self.status = "closed"
        self.close_case()

    @event("TypicalCasePublished")
    def publish(self, title: str, summary: str, channel: str | None = None) -> None:
        """典型案例发布: counts to Annex 1 P10 (once, on a closed case)."""
        self.check_publishable()
        self.published = True
        self.publication = {"on": self.event_date, "title": title, "summary": summary, "channel": channel}

    # -- rules -------------------------------------------------------------

    def check_deadline(self, deadline: str) -> None:
        if deadline < self.event_date:
            raise DomainError(
                "deadline_before_assignment",
                f"办理期限 {deadline} 早于交办日期 {self.event_date} / the deadline is before the assignment date"
                f" ({self.event_date})",
                "data.deadline",
            )

    def check_recovery_within_owed(self, amount: str) -> None:
        total = Decimal(self.recovered) + Decimal(amount)
        if total > Decimal(self.amount_owed):
            raise DomainError(
                "recovered_exceeds_owed",
                f"累计追回 {_yuan(total)} 元超过欠薪金额 {self.amount_owed} 元（尚欠 {self.outstanding} 元）"
                f" / {_yuan(total)} recovered in total would exceed the {self.amount_owed} owed"
                f" ({self.outstanding} outstanding)",
                "data.amount",
            )

    def check_nothing_owed_unless_explained(self, outcome: str) -> None:
        if Decimal(self.outstanding) > 0 and outcome in PAID_FIRST:
            rule, zh, en = PAID_FIRST[outcome]
            raise DomainError(rule, f"{zh}（尚欠 {self.outstanding} 元） / {en} ({self.outstanding} outstanding)", "data.outcome")
        if Decimal(self.outstanding) > 0 and outcome not in OUTCOMES_WITH_BALANCE:
            raise DomainError(
                "money_still_owed",
                f"尚欠 {self.outstanding} 元，结案结果须说明去向（{'、'.join(sorted(OUTCOMES_WITH_BALANCE))}）"
                f" / {self.outstanding} is still owed: close with an outcome that explains it"
                f" ({', '.join(sorted(OUTCOMES_WITH_BALANCE))})",
                "data.outcome",
            )

    def check_publishable(self) -> None:
        if not self.closed:
            raise DomainError(
                "case_not_closed", "案件尚未办结，不能作为典型案例发布 / only a closed case can be published as a typical case"
            )
        if self.published:
            raise DomainError(
                "already_published",
                f"该案件已于 {self.publication['on']} 作为典型案例发布 / already published on {self.publication['on']}",
            )
