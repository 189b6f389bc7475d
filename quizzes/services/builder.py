"""The quiz builder: find questions in the bank, add them, random slots, order,
points, page breaks and the quiz's maximum grade.

The HTML builder and the API call these; each write checks that the actor may
edit the quiz and reads the bank only through what the actor may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.text import fold

from .. import access
from ..models import Question, QuestionCategory, QuestionType, Quiz, QuizItem, Tag

# Rough minutes a learner spends on one question of a type (the summary's estimate
# when the quiz has no time limit).
MINUTES_PER_QUESTION: dict[str, int] = {
    QuestionType.ESSAY: 10,
    QuestionType.MATCHING: 2,
    QuestionType.ORDERING: 2,
}


def check_edit(actor: User, quiz: Quiz) -> None:
    if not access.may_edit_quiz(actor, quiz):
        raise PermissionDenied(_("Bạn không được sửa bài kiểm tra này."))


@dataclass
class BankFilter:
    """What the builder's bank panel filters on (all optional)."""

    category: QuestionCategory | None = None
    include_subcategories: bool = True
    tag: Tag | None = None
    type: str = ""
    text: str = ""
    unused_in: Quiz | None = None


def bank_questions(*, user: User, filters: BankFilter) -> QuerySet[Question]:
    """Active questions the user may read that match `filters`, oldest first.

    Text search ignores case and Vietnamese diacritics (đ counts as d): every
    word must occur in the question's title or current text.
    """
    qs = Question.objects.visible_to(user).filter(is_active=True, current_version__isnull=False)
    f = filters
    if f.category is not None:
        qs = qs.filter(
            Q(category__path__startswith=f.category.path)
            if f.include_subcategories
            else Q(category=f.category)
        )
    if f.tag is not None:
        qs = qs.filter(tags=f.tag)
    if f.type:
        qs = qs.filter(current_version__type=f.type)
    for word in fold(f.text).split():
        qs = qs.filter(search_key__contains=word)
    if f.unused_in is not None:
        used = QuizItem.objects.filter(quiz=f.unused_in, question__isnull=False)
        qs = qs.exclude(pk__in=used.values("question_id"))
    return qs.order_by("id")


def pool_query(
    *, category: QuestionCategory, include_subcategories: bool, tag: Tag | None
) -> QuerySet[Question]:
    """The questions a random slot draws from, by the same rule as the draw
    (services.start): active, with a version, in the category (and below), tagged."""
    qs = Question.objects.filter(is_active=True, current_version__isnull=False)
    qs = qs.filter(
        Q(category__path__startswith=category.path)
        if include_subcategories
        else Q(category_id=category.pk)
    )
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs


def pool_size(
    *, category: QuestionCategory, include_subcategories: bool = True, tag: Tag | None = None
) -> int:
    return pool_query(
        category=category, include_subcategories=include_subcategories, tag=tag
    ).count()


def _next_position(quiz: Quiz) -> int:
    top = quiz.items.aggregate(m=Max("position"))["m"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_questions(*, actor: User, quiz: Quiz, question_ids: list[int]) -> list[QuizItem]:
    """Add several bank questions at the end, in the order given; ones the quiz
    already has are skipped. Ids the actor may not read count as not found."""
    check_edit(actor, quiz)
    Quiz.objects.select_for_update().filter(pk=quiz.pk).first()  # one builder at a time
    wanted = list(dict.fromkeys(question_ids))
    found = set(
        Question.objects.visible_to(actor)
        .filter(pk__in=wanted, is_active=True, current_version__isnull=False)
        .values_list("pk", flat=True)
    )
    missing = [pk for pk in wanted if pk not in found]
    if missing or not wanted:
        raise ValidationError(
            _("Không tìm thấy câu hỏi %(ids)s trong phạm vi của bạn.")
            % {"ids": ", ".join(f"#{pk}" for pk in missing)}
            if missing
            else _("Hãy chọn ít nhất một câu hỏi.")
        )
    present = set(quiz.items.filter(question_id__in=wanted).values_list("question_id", flat=True))
    position = _next_position(quiz)
    items = []
    for pk in wanted:
        if pk in present:
            continue
        items.append(QuizItem(quiz=quiz, position=position, question_id=pk))
        position += 1
    return QuizItem.objects.bulk_create(items)


@transaction.atomic
def add_random(
    *,
    actor: User,
    quiz: Quiz,
    category: QuestionCategory,
    count: int,
    include_subcategories: bool = True,
    tag: Tag | None = None,
    points: Decimal | None = None,
) -> QuizItem:
    """A slot drawing `count` questions at random from a category (and its
    subcategories), optionally only those with a tag."""
    check_edit(actor, quiz)
    if not QuestionCategory.objects.visible_to(actor).filter(pk=category.pk).exists():
        raise ValidationError(_("Danh mục nằm ngoài phạm vi của bạn."))
    if count < 1:
        raise ValidationError(_("Số câu rút phải từ 1 trở lên."))
    available = pool_size(category=category, include_subcategories=include_subcategories, tag=tag)
    if count > available:
        raise ValidationError(
            _("Kho chỉ có %(n)s câu phù hợp, không rút được %(count)s câu.")
            % {"n": available, "count": count}
        )
    Quiz.objects.select_for_update().filter(pk=quiz.pk).first()
    return QuizItem.objects.create(
        quiz=quiz,
        position=_next_position(quiz),
        kind=QuizItem.Kind.RANDOM,
        category=category,
        include_subcategories=include_subcategories,
        tag=tag,
        count=count,
        points=points,
    )


@transaction.atomic
def reorder(*, actor: User, quiz: Quiz, item_ids: list[int]) -> list[QuizItem]:
    """Put the quiz's items in the order given: every item exactly once."""
    check_edit(actor, quiz)
    items = {i.pk: i for i in QuizItem.objects.select_for_update().filter(quiz=quiz)}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise ValidationError(_("Thứ tự mới phải gồm đúng các mục của bài kiểm tra."))
    ordered = [items[pk] for pk in item_ids]
    for position, item in enumerate(ordered):
        item.position = position
    QuizItem.objects.bulk_update(ordered, ["position"])
    return ordered


def move(*, actor: User, quiz: Quiz, item_id: int, delta: int) -> list[QuizItem]:
    """Move one item up (delta -1) or down (+1): the keyboard's way to reorder."""
    ids = list(quiz.items.order_by("position", "id").values_list("pk", flat=True))
    if item_id not in ids:
        raise ValidationError(_("Mục không thuộc bài kiểm tra này."))
    index = ids.index(item_id)
    target = min(max(index + delta, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    return reorder(actor=actor, quiz=quiz, item_ids=ids)


_UNSET = object()


@transaction.atomic
def update_item(
    *,
    actor: User,
    quiz: Quiz,
    item_id: int,
    points: Decimal | object | None = _UNSET,
    page_break_after: bool | None = None,
) -> QuizItem:
    """Points for every question of the item (None: each question's own) and a
    page break after it."""
    check_edit(actor, quiz)
    item = QuizItem.objects.select_for_update().filter(quiz=quiz, pk=item_id).first()
    if item is None:
        raise ValidationError(_("Mục không thuộc bài kiểm tra này."))
    fields = []
    if points is not _UNSET:
        if points is not None and not (Decimal(0) < points <= Decimal(1000)):  # type: ignore[operator]
            raise ValidationError(_("Điểm mỗi câu phải lớn hơn 0 và không quá 1000."))
        item.points = points  # type: ignore[assignment]
        fields.append("points")
    if page_break_after is not None:
        item.page_break_after = page_break_after
        fields.append("page_break_after")
    if fields:
        item.save(update_fields=fields)
    return item


@transaction.atomic
def set_max_grade(*, actor: User, quiz: Quiz, max_grade: Decimal) -> Quiz:
    check_edit(actor, quiz)
    if not (Decimal(0) < max_grade <= Decimal(10000)):
        raise ValidationError(_("Điểm tối đa phải lớn hơn 0 và không quá 10000."))
    quiz.max_grade = max_grade
    quiz.save(update_fields=["max_grade"])
    return quiz


@dataclass
class SlotRow:
    """One item of the builder's list with what it adds up to."""

    item: QuizItem
    questions: int  # how many questions it gives an attempt
    points: Decimal  # per question (an average for a random slot of mixed points)
    pool: int | None  # random slot: how many questions it may draw from
    page: int  # 1-based page the item starts on


@dataclass
class Summary:
    rows: list[SlotRow]
    questions: int
    total_points: Decimal
    pages: int
    minutes: int  # the time limit, or an estimate from the questions' types
    estimated: bool
    short_pools: int  # random slots whose pool is smaller than their count

    @property
    def seconds(self) -> int:
        return self.minutes * 60


def summary(quiz: Quiz) -> Summary:
    """The builder's list and summary line, in a constant number of queries:
    items with their fixed questions (one), and for random slots their pools'
    sizes, points and types (one per distinct pool)."""
    items = list(
        QuizItem.objects.filter(quiz=quiz)
        .select_related("question__current_version", "category", "tag")
        .order_by("position", "id")
    )
    pools: dict[tuple[int, bool, int | None], tuple[int, Decimal, int]] = {}
    rows = []
    page = 1
    has_breaks = any(i.page_break_after for i in items[:-1])
    for index, item in enumerate(items):
        if item.kind == QuizItem.Kind.RANDOM and item.category is not None:
            key = (item.category_id, item.include_subcategories, item.tag_id)  # type: ignore[assignment]
            if key not in pools:
                pool = pool_query(
                    category=item.category,
                    include_subcategories=item.include_subcategories,
                    tag=item.tag,
                )
                values = list(pool.values_list("current_version__points", "current_version__type"))
                mean = (
                    sum((p for p, _t in values), Decimal(0)) / len(values) if values else Decimal(0)
                )
                minutes = (
                    round(sum(MINUTES_PER_QUESTION.get(t, 1) for _p, t in values) / len(values))
                    if values
                    else 1
                )
                pools[key] = (len(values), mean, minutes)  # type: ignore[index]
            size, mean, _m = pools[key]  # type: ignore[index]
            rows.append(
                SlotRow(
                    item,
                    min(item.count, size),
                    item.points if item.points is not None else mean,
                    size,
                    page,
                )
            )
        elif item.question is not None and item.question.current_version is not None:
            version = item.question.current_version
            rows.append(
                SlotRow(
                    item, 1, item.points if item.points is not None else version.points, None, page
                )
            )
        else:
            rows.append(SlotRow(item, 0, Decimal(0), None, page))
        if item.page_break_after and index < len(items) - 1:
            page += 1
    questions = sum(r.questions for r in rows)
    total = sum((r.points * r.questions for r in rows), Decimal(0)).quantize(Decimal("0.01"))
    if has_breaks:
        pages = page
    elif quiz.per_page and questions:
        pages = -(-questions // quiz.per_page)
    else:
        pages = 1
    if quiz.time_limit:
        minutes, estimated = -(-quiz.time_limit // 60), False
    else:
        minutes = 0
        for r in rows:
            if r.pool is not None:
                key = (r.item.category_id, r.item.include_subcategories, r.item.tag_id)
                minutes += pools[key][2] * r.questions  # type: ignore[index]
            elif r.questions:
                fixed = r.item.question.current_version  # type: ignore[union-attr]
                minutes += MINUTES_PER_QUESTION.get(fixed.type, 1)  # type: ignore[union-attr]
        estimated = True
    short = sum(1 for r in rows if r.pool is not None and r.pool < r.item.count)
    return Summary(rows, questions, total, pages, minutes, estimated, short)
