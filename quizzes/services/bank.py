"""Writing the question bank: categories by path, questions and their versions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.text import nfc

from ..models import Question, QuestionCategory, QuestionType, QuestionVersion, Tag
from ..validation import check_question


def check_bank_access(actor: User | None, category: QuestionCategory) -> None:
    if actor is None or actor.is_superuser:
        return
    if not actor.is_trainer or not actor.can_see_unit(category.owner_unit):
        raise PermissionDenied(_("Danh mục nằm ngoài phạm vi quản lý của bạn."))


@transaction.atomic
def ensure_category_path(
    *, path: str = "", owner_unit: Unit | None, names: list[str] | None = None
) -> QuestionCategory:
    """Find or create the category "A/B/C" (segments separated by "/") for a
    unit; `names` gives the segments directly (a name may then hold a "/")."""
    parent: QuestionCategory | None = None
    if names is None:
        names = path.split("/")
    names = [nfc(p) for p in names if nfc(p)]
    if not names:
        raise ValidationError(_("Đường dẫn danh mục trống."))
    for name in names:
        node = QuestionCategory.objects.filter(
            name=name, parent=parent, owner_unit=owner_unit
        ).first()
        if node is None:
            node = QuestionCategory.objects.create(name=name, parent=parent, owner_unit=owner_unit)
        parent = node
    assert parent is not None
    return parent


@transaction.atomic
def create_category(
    *,
    actor: User | None,
    name: str,
    owner_unit: Unit,
    parent: QuestionCategory | None = None,
) -> QuestionCategory:
    """A new category of the bank, owned by a unit in the actor's scope."""
    name = nfc(name)
    if not name:
        raise ValidationError(_("Tên danh mục không được để trống."))
    if actor is not None and not actor.is_superuser and not actor.can_see_unit(owner_unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
    if parent is not None:
        check_bank_access(actor, parent)
    return QuestionCategory.objects.create(name=name[:255], parent=parent, owner_unit=owner_unit)


def _tags(names: list[str]) -> list[Tag]:
    tags = []
    for name in {nfc(n) for n in names if nfc(n)}:
        tags.append(Tag.objects.get_or_create(name=name)[0])
    return tags


@transaction.atomic
def create_question(
    *,
    actor: User | None,
    category: QuestionCategory,
    type: str,
    text: str,
    data: dict[str, Any],
    points: Decimal = Decimal(1),
    title: str = "",
    tags: list[str] | None = None,
) -> Question:
    check_bank_access(actor, category)
    data = check_question(type, text, data, points)
    question = Question.objects.create(category=category, title=nfc(title)[:255], created_by=actor)
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        type=type,
        text=text,
        data=data,
        points=points,
        created_by=actor,
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    if tags:
        question.tags.set(_tags(tags))
    return question


@transaction.atomic
def edit_question(
    *,
    actor: User,
    question: Question,
    type: str,
    text: str,
    data: dict[str, Any],
    points: Decimal,
    title: str | None = None,
    tags: list[str] | None = None,
    category: QuestionCategory | None = None,
) -> QuestionVersion:
    """Change a question. A version already given to a learner is never touched:
    the change becomes a new version, and attempts keep the one they had."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    check_bank_access(actor, question.category)
    if category is not None and category.pk != question.category_id:
        check_bank_access(actor, category)
        question.category = category
    data = check_question(type, text, data, points)
    current = question.current_version
    if current is not None and not current.is_used():
        current.type, current.text, current.data, current.points = type, text, data, points
        current.save()
        version = current
    else:
        number = (current.number + 1) if current else 1
        version = QuestionVersion.objects.create(
            question=question,
            number=number,
            type=type,
            text=text,
            data=data,
            points=points,
            created_by=actor,
        )
    question.current_version = version
    if title is not None:
        question.title = nfc(title)[:255]
    question.save()
    if tags is not None:
        question.tags.set(_tags(tags))
    return version


__all__ = [
    "QuestionType",
    "check_bank_access",
    "create_category",
    "create_question",
    "edit_question",
]
