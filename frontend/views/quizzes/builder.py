"""The quiz builder: settings, fixed questions and random draws."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from quizzes import access
from quizzes.models import Question, Quiz, QuizItem, QuizOverride

from .bank import _trainer
from .forms import ItemForm, OverrideForm, QuizForm


def _get_quiz_for_trainer(request: HttpRequest, pk: int, edit: bool = True) -> Quiz:
    user = _trainer(request)
    quiz = Quiz.objects.visible_to(user).filter(pk=pk).first()
    if quiz is None:
        raise Http404
    if edit and not access.may_edit_quiz(user, quiz):
        raise PermissionDenied
    return quiz


@login_required
def quiz_list(request: HttpRequest) -> HttpResponse:
    user = _trainer(request)
    quizzes = Quiz.objects.visible_to(user).select_related("owner_unit").order_by("-created_at")
    return render(request, "frontend/quizzes/manage_list.html", {"quizzes": quizzes})


@login_required
def quiz_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk) if pk else None
    form = QuizForm(
        request.POST or None,
        instance=quiz,
        actor=user,
        initial=None if quiz else {"owner_unit": user.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        quiz = form.save(commit=False)
        if quiz.created_by_id is None:
            quiz.created_by = user
        quiz.save()
        messages.success(request, _("Đã lưu bài kiểm tra."))
        return redirect("frontend:quiz-builder", pk=quiz.pk)
    return render(
        request,
        "frontend/quizzes/form.html",
        {
            "form": form,
            "title": _("Sửa thiết lập bài kiểm tra") if quiz else _("Bài kiểm tra mới"),
            "cancel_url": reverse("frontend:quiz-builder", args=[quiz.pk])
            if quiz
            else reverse("frontend:quiz-manage"),
        },
    )


@login_required
def quiz_builder(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk, edit=False)
    editable = access.may_edit_quiz(user, quiz)
    form = ItemForm(request.POST or None, actor=user)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            with transaction.atomic():
                position = (quiz.items.aggregate(m=Max("position"))["m"] or 0) + 1
                if d["kind"] == "fixed":
                    question = (
                        Question.objects.visible_to(user).filter(pk=d["question"] or 0).first()
                    )
                    if question is None:
                        form.add_error(
                            "question", _("Không có câu hỏi với mã này trong phạm vi của bạn.")
                        )
                    else:
                        QuizItem.objects.create(quiz=quiz, position=position, question=question)
                elif d["category"] is None:
                    form.add_error("category", _("Hãy chọn danh mục để rút câu hỏi."))
                else:
                    QuizItem.objects.create(
                        quiz=quiz,
                        position=position,
                        kind=QuizItem.Kind.RANDOM,
                        category=d["category"],
                        tag=d["tag"],
                        count=d["count"],
                    )
            if not form.errors:
                messages.success(request, _("Đã thêm vào bài kiểm tra."))
                return redirect("frontend:quiz-builder", pk=quiz.pk)
    items = quiz.items.select_related("question__current_version", "category", "tag")
    overrides = QuizOverride.objects.filter(quiz=quiz).select_related("user")
    scope = user.scope_q("user__unit__path")
    if scope is not None:
        overrides = overrides.filter(scope)
    return render(
        request,
        "frontend/quizzes/builder.html",
        {
            "quiz": quiz,
            "items": items,
            "form": form,
            "editable": editable,
            "overrides": overrides,
            "override_form": OverrideForm(),
        },
    )


@login_required
@require_POST
def quiz_override(request: HttpRequest, pk: int) -> HttpResponse:
    """Extra time or attempts for one learner the trainer is responsible for."""
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk, edit=False)
    form = OverrideForm(request.POST)
    learner = None
    if form.is_valid():
        learner = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
    if learner is None or not user.can_see_user(learner):
        messages.error(request, _("Không tìm thấy học viên này trong phạm vi của bạn."))
        return redirect("frontend:quiz-builder", pk=quiz.pk)
    QuizOverride.objects.update_or_create(
        quiz=quiz,
        user=learner,
        defaults={
            "extra_seconds": form.cleaned_data["extra_minutes"] * 60,
            "extra_attempts": form.cleaned_data["extra_attempts"],
        },
    )
    messages.success(request, _("Đã lưu ngoại lệ cho %(name)s.") % {"name": learner.full_name})
    return redirect("frontend:quiz-builder", pk=quiz.pk)


@login_required
@require_POST
def quiz_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    quiz = _get_quiz_for_trainer(request, pk)
    QuizItem.objects.filter(quiz=quiz, pk=item_pk).delete()
    messages.success(request, _("Đã bỏ mục khỏi bài kiểm tra."))
    return redirect("frontend:quiz-builder", pk=quiz.pk)
