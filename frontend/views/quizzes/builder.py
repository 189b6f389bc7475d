"""The quiz builder: settings, the bank panel (filter, tick, preview, add) and
random slots. Changing the slots themselves lives in builder_slots.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from config.ids import parse_id
from quizzes import access, presenters, services
from quizzes.models import AttemptSlot, Question, Quiz, QuizOverride
from quizzes.services import builder as building

from .bank import _trainer
from .forms import BankFilterForm, MaxGradeForm, OverrideForm, QuizForm, RandomSlotForm

BANK_PAGE_SIZE = 20


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


def preview_slot(question: Question) -> dict[str, Any]:
    """A question as a learner gets it in an attempt (the same presenter and
    template, choices in their stored order), with no key in it."""
    version = question.current_version
    assert version is not None
    slot = AttemptSlot(
        position=0,
        page=0,
        version=version,
        choice_order=version.choice_ids(),
        max_points=version.points,
    )
    out = presenters.public_slot(slot)
    out["id"] = f"preview-{question.pk}"
    out["value"] = ""
    return out


def bank_context(request: HttpRequest, user: User, quiz: Quiz) -> dict[str, Any]:
    """The bank panel: the filter form and one page of matching questions
    (a constant number of queries whatever the size of the bank)."""
    data = request.GET if "q" in request.GET or "category" in request.GET else None
    form = BankFilterForm(data, actor=user, auto_id="bank-%s")
    filters = building.BankFilter()
    if form.is_valid():
        d = form.cleaned_data
        filters = building.BankFilter(
            category=d["category"],
            include_subcategories=d["sub"],
            tag=d["tag"],
            type=d["type"],
            text=d["q"],
            unused_in=quiz if d["unused"] else None,
        )
    questions = (
        building.bank_questions(user=user, filters=filters)
        .select_related("current_version", "category")
        .prefetch_related("tags")
    )
    paginator = Paginator(questions, BANK_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    used = set(quiz.items.filter(question__isnull=False).values_list("question_id", flat=True))
    rows = [
        {"question": q, "preview": preview_slot(q), "used": q.pk in used} for q in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "bank_form": form,
        "bank_rows": rows,
        "bank_page": page,
        "bank_query": query.urlencode(),
    }


def builder_context(request: HttpRequest, user: User, quiz: Quiz) -> dict[str, Any]:
    return {
        "quiz": quiz,
        "editable": access.may_edit_quiz(user, quiz),
        "summary": building.summary(quiz),
        "max_grade_form": MaxGradeForm(initial={"max_grade": quiz.max_grade}),
    }


@login_required
def quiz_builder(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk, edit=False)
    context = builder_context(request, user, quiz)
    context.update(bank_context(request, user, quiz))
    template_name = "frontend/quizzes/builder.html"
    if request.htmx and request.htmx.target == "bank":
        return render(request, template_name + "#bank", context)
    overrides = QuizOverride.objects.filter(quiz=quiz).select_related("user")
    scope = user.scope_q("user__unit__path")
    if scope is not None:
        overrides = overrides.filter(scope)
    context.update(
        {
            "random_form": RandomSlotForm(actor=user, auto_id="random-%s"),
            "overrides": overrides,
            "override_form": OverrideForm(),
        }
    )
    return render(request, template_name, context)


@login_required
@require_POST
def quiz_add_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the ticked questions; back to the same filtered bank page."""
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    ids = [i for i in (parse_id(v) for v in request.POST.getlist("question")) if i is not None]
    try:
        items = building.add_questions(actor=user, quiz=quiz, question_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Đã thêm %(n)s câu hỏi vào bài kiểm tra.",
                "Đã thêm %(n)s câu hỏi vào bài kiểm tra.",
                len(items),
            )
            % {"n": len(items)},
        )
    back = request.POST.get("back", "")
    url = reverse("frontend:quiz-builder", args=[quiz.pk])
    # Only the filter's own query string comes back (never another address).
    if back and "/" not in back and "\\" not in back:
        url += "?" + back
    return redirect(url + "#bank")


@login_required
@require_POST
def quiz_add_random(request: HttpRequest, pk: int) -> HttpResponse:
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    form = RandomSlotForm(request.POST, actor=user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            building.add_random(
                actor=user,
                quiz=quiz,
                category=d["category"],
                include_subcategories=d["include_subcategories"],
                tag=d["tag"],
                count=d["count"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã thêm câu rút ngẫu nhiên."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(reverse("frontend:quiz-builder", args=[quiz.pk]) + "#slots")


@login_required
@require_GET
def quiz_pool(request: HttpRequest, pk: int) -> HttpResponse:
    """How many questions a random slot with these settings may draw from (htmx)."""
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk, edit=False)
    form = RandomSlotForm(request.GET, actor=user)
    size = None
    if form.is_valid() or not form.has_error("category"):
        category = form.cleaned_data.get("category")
        if category is not None:
            size = building.pool_size(
                category=category,
                include_subcategories=form.cleaned_data.get("include_subcategories", False),
                tag=form.cleaned_data.get("tag"),
            )
    return render(
        request,
        "frontend/quizzes/_pool.html",
        {"quiz": quiz, "size": size, "count": form.cleaned_data.get("count")},
    )


@login_required
@require_POST
def quiz_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer takes the whole quiz as a learner would: a preview attempt
    that never counts in grades, statistics or reports."""
    user = _trainer(request)
    quiz = _get_quiz_for_trainer(request, pk)
    try:
        attempt = services.start_attempt(user=user, quiz=quiz, preview=True)
    except services.QuizUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("frontend:quiz-builder", pk=quiz.pk)
    return redirect("frontend:quiz-attempt", pk=attempt.pk)


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
