"""Who may open which report object: anything outside the viewer's scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from config.ids import parse_id
from courses.models import Course
from quizzes.models import Attempt, Quiz

from .gradebook import RowStatus


def require_trainer(viewer: User) -> None:
    if not viewer.is_authenticated or not viewer.is_trainer:
        raise Http404


def course_for(viewer: User, pk: Any) -> Course:
    require_trainer(viewer)
    course = Course.objects.visible_to(viewer).filter(pk=_pk(pk)).first()
    if course is None:
        raise Http404
    return course


def unit_for(viewer: User, pk: Any) -> Unit:
    require_trainer(viewer)
    unit = Unit.objects.filter(pk=_pk(pk)).first()
    if unit is None or not viewer.can_see_unit(unit):
        raise Http404
    return unit


def quiz_for(viewer: User, pk: Any) -> Quiz:
    require_trainer(viewer)
    quiz = Quiz.objects.visible_to(viewer).filter(pk=_pk(pk)).first()
    if quiz is None:
        raise Http404
    return quiz


def attempt_for(viewer: User, pk: Any) -> Attempt:
    """Any attempt of a learner in the viewer's scope."""
    require_trainer(viewer)
    qs = Attempt.objects.select_related("quiz", "user__unit").filter(pk=_pk(pk))
    scope = viewer.scope_q("user__unit__path")
    if scope is not None:
        qs = qs.filter(scope)
    attempt = qs.first()
    if attempt is None:
        raise Http404
    return attempt


def learner_for(viewer: User, pk: Any) -> User:
    require_trainer(viewer)
    learner = User.objects.visible_to(viewer).select_related("unit").filter(pk=_pk(pk)).first()
    if learner is None:
        raise Http404
    return learner


def granted_units(viewer: User) -> list[Unit]:
    """The units a viewer is responsible for (the top-level units for a superuser)."""
    if viewer.is_superuser:
        return list(Unit.objects.filter(depth=1).order_by("path"))
    return list(Unit.objects.filter(path__in=viewer.granted_paths()).order_by("path"))


def _pk(value: Any) -> int:
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return pk


@dataclass
class Filters:
    unit: Unit | None = None
    status: str = ""
    due_from: date | None = None
    due_to: date | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "unit": self.unit.pk if self.unit else None,
            "status": self.status,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_to": self.due_to.isoformat() if self.due_to else None,
        }


def gradebook_filters(viewer: User, data: Any) -> Filters:
    """Filters from a query string. A unit outside scope is a 404, bad values a
    ValidationError with a Vietnamese message."""
    filters = Filters()
    if data.get("unit"):
        filters.unit = unit_for(viewer, data.get("unit"))
    status = data.get("status") or ""
    if status and status not in RowStatus.LABELS:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    filters.status = status
    for name in ("due_from", "due_to"):
        raw = data.get(name) or ""
        if raw:
            try:
                parsed = parse_date(raw) if isinstance(raw, str) else None
            except ValueError:
                parsed = None
            if parsed is None:
                raise ValidationError({name: _("Ngày không hợp lệ (định dạng YYYY-MM-DD).")})
            setattr(filters, name, parsed)
    return filters
