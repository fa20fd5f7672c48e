"""Every case kind hexie knows, and the indexes the service layer and the read side use.

Each index is derived here, once, from what the case classes state (`kind`, `plan`,
`counted_by`, `statuses`, `closing`, their `@event` methods).
"""

from __future__ import annotations

from typing import Any, Callable
from uuid import UUID

from eventsourcing.utils import get_topic

from .arrears import ArrearsCase
from .bargaining import BargainingModel
from .case import Case, DomainError
from .coordinator import Coordinator
from .cultivation import Cultivation
from .enterprise import Enterprise
from .key_employer import KeyEmployer
from .measure import Measure
from .mediation import MediationBody, Mediator
from .migrant_workers import CooperationUnit, Forum
from .new_enterprise_service import NewEnterpriseService
from .social_organisation import SocialOrganisation
from .target import Target
from .wage_guidance import SalarySurvey, SalarySurveyFeedback, WageGuidance

CASE_CLASSES: tuple[type[Case], ...] = (
    Enterprise, BargainingModel, KeyEmployer, Cultivation, CooperationUnit, Forum,
    WageGuidance, SalarySurveyFeedback, SalarySurvey, NewEnterpriseService, Coordinator, MediationBody,
    Mediator, SocialOrganisation, ArrearsCase, Measure, Target,
)

KINDS: dict[str, type[Case]] = {cls.kind: cls for cls in CASE_CLASSES}

# Creating event type -> the kind of case it opens.
CREATORS: dict[str, type[Case]] = {cls.created_event: cls for cls in CASE_CLASSES}

# Every event class -> the case class it belongs to.
CASE_OF: dict[type, type[Case]] = {
    getattr(cls, name): cls for cls in CASE_CLASSES for name in (cls.created_event, *cls.commands)
}

# Stored topic -> (kind, event type), to present events without the library.
TOPICS: dict[str, tuple[str, str]] = {get_topic(event): (cls.kind, event.__name__) for event, cls in CASE_OF.items()}

# The event class that counts a case to Annex 1 -> its plan (DESIGN 1).
COUNTING: dict[type, str] = {getattr(cls, cls.counted_by): cls.plan for cls in CASE_CLASSES if cls.counted_by}

# Event class -> the status its case enters; event classes that close their case.
STATUS: dict[type, str] = {getattr(cls, name): status for cls in CASE_CLASSES for name, status in cls.statuses.items()}
CLOSING: frozenset[type] = frozenset(getattr(cls, name) for cls in CASE_CLASSES for name in cls.closing)

# Fields that name another case, and the kind they must name.
REFERENCES: dict[str, str] = {"enterprise_id": "enterprise", "mediation_body_id": "mediation_body",
                              "enterprise_ids": "enterprise"}


def check_references(cls: type[Case], data: dict[str, Any], find: Callable[[UUID], Case | None]) -> None:
    """A field naming another case must name an existing case (`find`) of the right kind, and pass
    the command's `check_<kind>` rule on it (a new-enterprise service needs a newly registered one …)."""
    for field, kind in REFERENCES.items():
        named = data.get(field)
        for n, ref in enumerate(named if isinstance(named, list) else [] if named is None else [named]):
            try:
                other = find(UUID(ref))
            except ValueError:
                other = None
            where = f"data.{field}" + (f".{n}" if isinstance(named, list) else "")
            if other is None or other.kind != kind:
                raise DomainError(f"unknown_{kind}", f"没有该{kind}案件 / no {kind} case {ref}", where)
            check = getattr(cls, f"check_{kind}", None)
            if check is not None:
                check(other.state())
