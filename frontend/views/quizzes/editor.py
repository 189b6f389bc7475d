"""The question editor: a form per question type, rows added and removed in place.

One view serves the page and, for htmx, the rows fragment: row buttons are
submit buttons (`op=add:choices`...), so the same request works with and
without JavaScript. The text syntax of `bank.question_form` stays as the
advanced mode (`?mode=text`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from quizzes import media, services
from quizzes.models import Attempt, Question, QuestionType

from . import bank
from .editor_form import TYPE_HELP, QuestionEditorForm, initial_from_version
from .editor_rows import (
    BLANK_ROWS,
    LEGENDS,
    ROW_KIND,
    ROWS_HELP,
    Row,
    apply_op,
    blank_row,
    row_views,
    rows_from_data,
    rows_from_post,
)


def _text_mode(request: HttpRequest) -> bool:
    # The advanced form posts "answers" (its one text area for every type).
    return request.GET.get("mode") == "text" or "answers" in request.POST


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    user = bank._trainer(request)
    if _text_mode(request):
        return bank.question_form(request)
    qtype = request.POST.get("type") or request.GET.get("type") or ""
    if qtype not in QuestionType.values:
        return render(
            request,
            "frontend/quizzes/question_type.html",
            {
                "types": [(t, TYPE_HELP[QuestionType(t)]) for t in QuestionType],
                "category": request.GET.get("category", ""),
            },
        )
    return _editor(request, user, None, QuestionType(qtype))


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = bank._trainer(request)
    question = bank._get_question_for_trainer(request, pk)
    if _text_mode(request):
        return bank.question_form(request, pk)
    if not user.can_see_unit(question.category.owner_unit):
        # a bank shared from a unit above: readable, not editable
        if request.method == "POST":
            raise PermissionDenied
        return _editor(request, user, question, QuestionType(question.current_version.type), True)
    current = question.current_version.type if question.current_version else QuestionType.SINGLE
    qtype = request.POST.get("type") or current
    if qtype not in QuestionType.values:
        qtype = current
    return _editor(request, user, question, QuestionType(qtype))


def _attempts_using(question: Question | None) -> int:
    if question is None or question.current_version_id is None:
        return 0
    return Attempt.objects.filter(slots__version_id=question.current_version_id).distinct().count()


def _blank_rows(kind: str | None) -> list[Row]:
    return [blank_row(kind) for _n in range(BLANK_ROWS[kind])] if kind else []


def _editor(
    request: HttpRequest,
    user: User,
    question: Question | None,
    qtype: QuestionType,
    read_only: bool = False,
) -> HttpResponse:
    kind = ROW_KIND.get(qtype)
    version = question.current_version if question else None
    previous = version.data if version else None
    focus: str | None = None
    template = "frontend/quizzes/question_editor.html"
    if request.method == "POST":
        rows = rows_from_post(request.POST, kind) if kind else []
        op = request.POST.get("op", "")
        if op:
            # Add, remove or move a row, or change the type: nothing is saved.
            if kind:
                rows, focus = apply_op(rows, kind, op)
                rows = rows or _blank_rows(kind)
            names = QuestionEditorForm.base_fields
            initial = {k: request.POST.get(k) for k in names if k in request.POST}
            form = QuestionEditorForm(
                actor=user, qtype=qtype, rows=rows, previous=previous, initial=initial
            )
            if request.htmx and not op.startswith("retype"):
                template += "#rows"
        else:
            form = QuestionEditorForm(
                request.POST, actor=user, qtype=qtype, rows=rows, previous=previous
            )
            if form.is_valid():
                saved = _save(request, user, question, qtype, form)
                if saved is not None:
                    return saved
    else:
        same_type = version is not None and version.type == qtype
        rows = rows_from_data(qtype, version.data) if same_type and version else []
        if not rows:
            rows = _blank_rows(kind)
        if question is not None and version is not None:
            initial = initial_from_version(question)
        else:
            initial = {"category": request.GET.get("category"), "points": 1}
        initial.setdefault("new_category_unit", user.unit_id)
        form = QuestionEditorForm(
            actor=user,
            qtype=qtype,
            rows=rows,
            previous=previous,
            initial=initial,
            shown_category=question.category_id if read_only and question else None,
        )
    used_by = _attempts_using(question)
    context: dict[str, Any] = {
        "form": form,
        "qtype": qtype,
        "type_label": QuestionType(qtype).label,
        "type_help": TYPE_HELP[qtype],
        "types": QuestionType.choices,
        "kind": kind,
        "row_views": row_views(kind, form.rows, focus) if kind else [],
        "rows_legend": LEGENDS.get(kind or "", ""),
        "rows_help": ROWS_HELP.get(kind or "", ""),
        "question": question,
        "version": version,
        # The question's images, with the token that shows each in the text.
        "images": [{"name": m.name, "token": media.token("", m.name)} for m in question.media.all()]
        if question
        else [],
        "used_by": used_by,
        "next_number": (version.number + 1) if version else 1,
        "action": request.path,
        "read_only": read_only,
    }
    return render(request, template, context)


def _save(
    request: HttpRequest,
    user: User,
    question: Question | None,
    qtype: QuestionType,
    form: QuestionEditorForm,
) -> HttpResponse | None:
    d = form.cleaned_data
    tags = [t.strip() for t in d["tags"].split(",") if t.strip()]
    before = question.current_version_id if question else None
    try:
        with transaction.atomic():  # a new category and its question, or neither
            category = d["category"]
            if d["new_category"].strip():
                category = services.create_category(
                    actor=user, name=d["new_category"], owner_unit=d["new_category_unit"]
                )
            fields = {
                "actor": user,
                "type": qtype,
                "text": d["text"],
                "data": d["data"],
                "points": d["points"],
                "title": d["title"],
                "tags": tags,
            }
            if question is None:
                question = services.create_question(category=category, **fields)
            else:
                version = services.edit_question(question=question, category=category, **fields)
                if version.pk != before:
                    messages.info(
                        request,
                        _(
                            "Câu hỏi đã được dùng trong bài làm nên đã lưu thành phiên bản %(n)s; "
                            "các lượt làm bài cũ giữ phiên bản trước."
                        )
                        % {"n": version.number},
                    )
    except (PermissionDenied, ValidationError) as exc:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        return None
    messages.success(request, _("Đã lưu câu hỏi."))
    return redirect(f"{reverse('frontend:quiz-bank')}?category={category.pk}")
