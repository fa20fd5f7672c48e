"""Two shares the seed asks for beside Annex 1, read from the ledger at a cut:

- P05 薪酬调查数据反馈: of the enterprises in a year's national salary-survey sample, the share
  given feedback (≥ 90 %) and the share given a personalised service (≥ 10 %);
- P07 协调员配备覆盖: "力争3年内辖区大多数大中型企业配备至少1名劳动关系协调员" — per unit, the
  share of its large and medium enterprises (recorded size, else derived from headcount and
  industry: `domain.size_class`) with at least one registered coordinator serving them;
  "大多数" is read as more than half.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hexie.domain.size_class import size_class
from hexie.domain.vocabulary import UNITS
from hexie.domain.wage_guidance import SalarySurvey

from . import ledger
from .cut import Cut
from .matrix import percent

MAJORITY = 50.0  # 大多数: more than half


async def salary_survey(db, cut: Cut, year: int) -> dict[str, Any]:
    samples = [r for r in await ledger.rows(db, cut, ("salary_survey",)) if r["fields"].get("survey_year") == year]
    sample = set(samples[0]["fields"]["enterprise_ids"]) if samples else set()
    feedback = [r["fields"] for r in await ledger.rows(db, cut, ("salary_survey_feedback",))
                if r["fields"].get("survey_year") == year and r["fields"].get("enterprise_id") in sample]
    given, personalised = len(feedback), sum(1 for f in feedback if f.get("personalised"))
    coverage, share = percent(given, len(sample)), percent(personalised, len(sample))
    return {
        "survey_year": year, "sample_recorded": bool(samples), "surveyed": len(sample),
        "feedback": given, "feedback_percent": coverage, "feedback_bar": SalarySurvey.FEEDBACK_BAR,
        "feedback_met": None if coverage is None else coverage >= SalarySurvey.FEEDBACK_BAR,
        "personalised": personalised, "personalised_percent": share, "personalised_bar": SalarySurvey.PERSONALISED_BAR,
        "personalised_met": None if share is None else share >= SalarySurvey.PERSONALISED_BAR,
    }


async def coordinator_coverage(db, cut: Cut) -> dict[str, Any]:
    served = {r["enterprise_id"] for r in await ledger.rows(db, cut, ("coordinator",))
              if r["enterprise_id"] and r["closed_on"] is None}
    large_medium, covered, unknown = Counter(), Counter(), Counter()
    for e in await ledger.rows(db, cut, ("enterprise",)):
        f = e["fields"]
        size = size_class(f.get("industry"), f.get("headcount"), f.get("size_class"))
        if size is None:
            unknown[e["unit"]] += 1
        elif size in ("large", "medium"):
            large_medium[e["unit"]] += 1
            covered[e["unit"]] += e["case_id"] in served
    by_unit = {}
    for unit in UNITS:
        share = percent(covered[unit], large_medium[unit])
        by_unit[unit] = {"large_medium": large_medium[unit], "with_coordinator": covered[unit], "percent": share,
                         "majority": None if share is None else share > MAJORITY, "size_unknown": unknown[unit]}
    total = percent(sum(covered.values()), sum(large_medium.values()))
    return {"by_unit": by_unit, "large_medium": sum(large_medium.values()), "with_coordinator": sum(covered.values()),
            "percent": total, "size_unknown": sum(unknown.values())}
