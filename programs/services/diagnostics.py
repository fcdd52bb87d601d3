"""Diagnostics of professional difficulties: filled by mentee and mentor, read as results.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from statistics import mean

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import require
from mentoring.models import Pair, PairMentee
from orgs.models import Person, user_scope
from programs.models import (
    DEFICIT_BELOW,
    STRENGTH_FROM,
    Answer,
    Diagnostic,
    DifficultyArea,
    DifficultyItem,
    Respondent,
    Stage,
)

# Diagnostics --------------------------------------------------------------------------------


def pair_membership(pair: Pair, mentee: Person) -> bool:
    return PairMentee.objects.filter(pair=pair, person=mentee).exists()


@transaction.atomic
def diagnostic_fill(
    *,
    user,
    pair: Pair,
    mentee: Person,
    stage: str,
    respondent: str,
    scores: dict[int, int],
    today: datetime.date,
    comment: str = "",
) -> Diagnostic:
    """Save a questionnaire: the mentee assesses themselves, the mentor assesses the mentee.

    Filling it again replaces the answers of the same stage and respondent."""
    scope = user_scope(user)
    if respondent == Respondent.SELF:
        require(scope.person_id == mentee.pk)
    elif respondent == Respondent.MENTOR:
        require(scope.person_id == pair.mentor_id)
    else:
        raise ValidationError({"respondent": _("Choose who assesses.")})
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose the stage.")})
    if not pair_membership(pair, mentee):
        raise ValidationError({"mentee": _("This teacher is not a mentee of the pair.")})
    items = list(DifficultyItem.objects.filter(is_active=True, area__is_active=True))
    errors = {}
    for item in items:
        score = scores.get(item.pk)
        if score is None:
            errors[f"item_{item.pk}"] = _("Give a score for every item.")
        elif score not in (1, 2, 3, 4):
            errors[f"item_{item.pk}"] = _("The score is from 1 to 4.")
    if errors:
        raise ValidationError(errors)
    if (
        stage == Stage.END
        and not Diagnostic.objects.filter(pair=pair, mentee=mentee, stage=Stage.START).exists()
    ):
        raise ValidationError({"stage": _("Fill the diagnostics at the start first.")})
    diagnostic, _created = Diagnostic.objects.update_or_create(
        pair=pair,
        mentee=mentee,
        stage=stage,
        respondent=respondent,
        defaults={"filled_on": today, "filled_by": user, "comment": comment},
    )
    diagnostic.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(diagnostic=diagnostic, item=item, score=scores[item.pk]) for item in items
    )
    return diagnostic


@dataclass
class AreaResult:
    area: DifficultyArea
    start_self: float | None = None
    start_mentor: float | None = None
    end_self: float | None = None
    end_mentor: float | None = None

    @property
    def start(self) -> float | None:
        values = [v for v in (self.start_self, self.start_mentor) if v is not None]
        return round(mean(values), 2) if values else None

    @property
    def end(self) -> float | None:
        values = [v for v in (self.end_self, self.end_mentor) if v is not None]
        return round(mean(values), 2) if values else None

    @property
    def change(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return round(self.end - self.start, 2)

    @property
    def is_deficit(self) -> bool:
        return self.start is not None and self.start < DEFICIT_BELOW

    @property
    def is_strength(self) -> bool:
        return self.start is not None and self.start >= STRENGTH_FROM


@dataclass
class DiagnosticResult:
    areas: list[AreaResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def deficits(self) -> list[AreaResult]:
        """The lowest areas, weakest first."""
        return sorted((row for row in self.areas if row.is_deficit), key=lambda row: row.start)

    @property
    def strengths(self) -> list[AreaResult]:
        return sorted((row for row in self.areas if row.is_strength), key=lambda row: -row.start)

    @property
    def has_start(self) -> bool:
        return any(d.stage == Stage.START for d in self.diagnostics)

    @property
    def has_end(self) -> bool:
        return any(d.stage == Stage.END for d in self.diagnostics)


def diagnostic_result(pair: Pair, mentee: Person) -> DiagnosticResult:
    """Mean score per area at the start and the end, by the mentee and by the mentor."""
    diagnostics = list(Diagnostic.objects.filter(pair=pair, mentee=mentee).order_by("stage"))
    result = DiagnosticResult(diagnostics=diagnostics)
    scores: dict[tuple[int, str, str], list[int]] = {}
    for answer in Answer.objects.filter(diagnostic__in=diagnostics).select_related(
        "diagnostic", "item"
    ):
        key = (answer.item.area_id, answer.diagnostic.stage, answer.diagnostic.respondent)
        scores.setdefault(key, []).append(answer.score)
    for area in DifficultyArea.objects.all():
        row = AreaResult(area=area)
        for stage in Stage.values:
            for respondent in Respondent.values:
                values = scores.get((area.pk, stage, respondent))
                if values:
                    setattr(row, f"{stage}_{respondent}", round(mean(values), 2))
        if row.start is not None or row.end is not None:
            result.areas.append(row)
    return result
