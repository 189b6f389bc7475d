"""Changing a quiz's slots from the builder: order (drag and drop, or up/down
buttons), points, page breaks, removal and the quiz's maximum grade.

Each view answers an htmx request with the slot list and its summary line
(the `slots` partial) and a plain form post with a redirect to the builder.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.ids import parse_id
from quizzes.models import Quiz, QuizItem
from quizzes.services import builder as building

from .bank import _trainer
from .builder import _get_quiz_for_trainer, builder_context
from .forms import MaxGradeForm, SlotForm


def _answer(request: HttpRequest, quiz: Quiz, error: str = "", done: str = "") -> HttpResponse:
    user = _trainer(request)
    if request.htmx:
        context = builder_context(request, user, quiz)
        context.update({"slot_error": error, "slot_done": done})
        return render(request, "frontend/quizzes/builder.html#slots", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect(reverse("frontend:quiz-builder", args=[quiz.pk]) + "#slots")


@login_required
@require_POST
def quiz_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Up or down one place: the keyboard's (and no-JavaScript) way to reorder."""
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    delta = -1 if request.POST.get("direction") == "up" else 1
    try:
        building.move(actor=user, quiz=quiz, item_id=item_pk, delta=delta)
    except ValidationError as exc:
        return _answer(request, quiz, error=" ".join(exc.messages))
    return _answer(request, quiz, done=_("Đã đổi thứ tự."))


@login_required
@require_POST
def quiz_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole order at once (what drag and drop sends): `order` = item ids."""
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    raw = request.POST.get("order", "").replace(",", " ").split()
    ids = [parse_id(v) for v in raw]
    try:
        if None in ids:
            raise ValidationError(_("Thứ tự mới phải gồm đúng các mục của bài kiểm tra."))
        building.reorder(actor=user, quiz=quiz, item_ids=[i for i in ids if i is not None])
    except ValidationError as exc:
        return _answer(request, quiz, error=" ".join(exc.messages))
    return _answer(request, quiz, done=_("Đã đổi thứ tự."))


@login_required
@require_POST
def quiz_item_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, quiz, error=" ".join(str(e) for es in form.errors.values() for e in es)
        )
    try:
        building.update_item(
            actor=user,
            quiz=quiz,
            item_id=item_pk,
            points=form.cleaned_data["points"],
            page_break_after=form.cleaned_data["page_break_after"],
        )
    except ValidationError as exc:
        return _answer(request, quiz, error=" ".join(exc.messages))
    return _answer(request, quiz, done=_("Đã lưu."))


@login_required
@require_POST
def quiz_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    quiz = _get_quiz_for_trainer(request, pk)
    QuizItem.objects.filter(quiz=quiz, pk=item_pk).delete()
    return _answer(request, quiz, done=_("Đã bỏ mục khỏi bài kiểm tra."))


@login_required
@require_POST
def quiz_max_grade(request: HttpRequest, pk: int) -> HttpResponse:
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    form = MaxGradeForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, quiz, error=" ".join(str(e) for es in form.errors.values() for e in es)
        )
    try:
        building.set_max_grade(actor=user, quiz=quiz, max_grade=form.cleaned_data["max_grade"])
    except ValidationError as exc:
        return _answer(request, quiz, error=" ".join(exc.messages))
    return _answer(request, quiz, done=_("Đã lưu điểm tối đa."))
