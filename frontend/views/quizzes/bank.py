"""The question bank for trainers: categories, questions, import, export, key fixes."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import staging
from accounts.models import AuditLog, Unit, User
from config.ids import parse_id
from quizzes import services
from quizzes.imports import ImportFailed, ParseResult, Problem, parse, run_import
from quizzes.imports.export import export_gift, export_moodle_xml, export_xlsx, template_xlsx
from quizzes.models import (
    Question,
    QuestionCategory,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizItem,
)

from .answer_lines import data_to_lines, lines_to_data
from .forms import CategoryForm, FixKeyForm, ImportForm, QuestionForm


def _trainer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_trainer:
        raise PermissionDenied
    return user


def _get_question_for_trainer(request: HttpRequest, pk: int) -> Question:
    user = _trainer(request)
    question = (
        Question.objects.visible_to(user)
        .select_related("current_version", "category__owner_unit")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


@login_required
def bank_index(request: HttpRequest) -> HttpResponse:
    user = _trainer(request)
    categories = list(QuestionCategory.objects.visible_to(user).select_related("owner_unit"))
    selected = None
    category_id = parse_id(request.GET.get("category"))
    if category_id is not None:
        selected = next((c for c in categories if c.pk == category_id), None)
    questions = Question.objects.none()
    if selected is not None:
        questions = (
            Question.objects.filter(category=selected)
            .select_related("current_version")
            .prefetch_related("tags")
            .order_by("id")
        )
    return render(
        request,
        "frontend/quizzes/bank.html",
        {
            "categories": categories,
            "selected": selected,
            "questions": questions,
            "can_edit": selected is not None and user.can_see_unit(selected.owner_unit),
            # a trainer with no category yet creates the first one right here
            "category_form": None
            if categories
            else CategoryForm(actor=user, initial={"owner_unit": user.unit_id}),
        },
    )


@login_required
def category_create(request: HttpRequest) -> HttpResponse:
    user = _trainer(request)
    form = CategoryForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        category = QuestionCategory.objects.create(
            name=form.cleaned_data["name"],
            parent=form.cleaned_data["parent"],
            owner_unit=form.cleaned_data["owner_unit"],
        )
        messages.success(request, _("Đã tạo danh mục."))
        return redirect(f"{reverse('frontend:quiz-bank')}?category={category.pk}")
    return render(
        request,
        "frontend/quizzes/form.html",
        {
            "form": form,
            "title": _("Danh mục mới"),
            "cancel_url": reverse("frontend:quiz-bank"),
        },
    )


@login_required
def question_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _trainer(request)
    question = _get_question_for_trainer(request, pk) if pk else None
    initial: dict[str, Any] = {"category": request.GET.get("category")}
    if question is not None and question.current_version:
        v = question.current_version
        initial = {
            "category": question.category_id,
            "type": v.type,
            "title": question.title,
            "text": v.text,
            "answers": data_to_lines(v.type, v.data),
            "feedback": v.data.get("feedback", ""),
            "points": v.points,
            "accent_insensitive": v.data.get("accent_insensitive", False),
            "tags": ", ".join(t.name for t in question.tags.all()),
        }
    current = question.current_version if question is not None else None
    # the same type keeps its ids and the options the lines do not carry
    previous = current.data if current and request.POST.get("type") == current.type else None
    form = QuestionForm(request.POST or None, actor=user, initial=initial, previous=previous)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        tags = [t.strip() for t in d["tags"].split(",") if t.strip()]
        try:
            if question is None:
                question = services.create_question(
                    actor=user,
                    category=d["category"],
                    type=d["type"],
                    text=d["text"],
                    data=d["data"],
                    points=d["points"],
                    title=d["title"],
                    tags=tags,
                )
            else:
                services.edit_question(
                    actor=user,
                    question=question,
                    type=d["type"],
                    text=d["text"],
                    data=d["data"],
                    points=d["points"],
                    title=d["title"],
                    tags=tags,
                    category=d["category"],
                )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Đã lưu câu hỏi."))
            return redirect(f"{reverse('frontend:quiz-bank')}?category={d['category'].pk}")
    title = _("Sửa câu hỏi") if question else _("Câu hỏi mới")
    return render(
        request,
        "frontend/quizzes/form.html",
        {
            "form": form,
            "title": title,
            "question": question,
            "cancel_url": reverse("frontend:quiz-bank"),
            "note": _(
                "Câu hỏi đã được dùng trong bài làm: khi lưu sẽ tạo phiên bản mới; các bài đã làm giữ phiên bản cũ."
            )
            if question
            else "",
        },
    )


@login_required
def question_fix_key(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the key of the version learners were given, and regrade their attempts."""
    user = _trainer(request)
    question = _get_question_for_trainer(request, pk)
    versions = list(QuestionVersion.objects.filter(question=question).order_by("-number"))
    version_id = request.POST.get("version") or request.GET.get("version")
    version = next(
        (v for v in versions if str(v.pk) == str(version_id)), versions[0] if versions else None
    )
    if version is None:
        raise Http404
    form = FixKeyForm(
        request.POST or None, initial={"answers": data_to_lines(version.type, version.data)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = lines_to_data(version.type, form.cleaned_data["answers"], version.data)
            for key, value in version.data.items():  # options the lines do not carry
                data.setdefault(key, value)
            services.fix_key(
                actor=user, version=version, data=data, reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, _("Đã sửa đáp án; các lượt làm bài liên quan đang được chấm lại.")
            )
            return redirect("frontend:quiz-question-fix-key", pk=question.pk)
    history = AuditLog.objects.filter(
        action=AuditLog.Action.GRADE_CHANGED, data__regrade_version__in=[v.pk for v in versions]
    )
    scope = user.scope_q("unit__path")  # only learners the trainer may see
    if scope is not None:
        history = history.filter(scope)
    history = history.order_by("-created_at")[:100]
    return render(
        request,
        "frontend/quizzes/fix_key.html",
        {
            "form": form,
            "question": question,
            "version": version,
            "versions": versions,
            "history": history,
            "used": version.is_used(),
        },
    )


def _preview_context(result: ParseResult, meta: dict[str, Any]) -> dict[str, Any]:
    """What the preview shows: each question with its type in Vietnamese, where
    it will go, and what the file holds that we cannot import."""
    base = meta.get("category", "")
    return {
        "preview": [
            {
                "line": q.line,
                "type": QuestionType(q.type).label,
                "title": q.title,
                "text": q.text,
                "category": "/".join(p for p in (base, q.category) if p),
                "tags": q.tags,
                "files": len(q.files),
            }
            for q in result.questions
        ],
        "problems": result.problems,
        "skipped": result.skipped,
        "meta": meta,
        "unit": Unit.objects.filter(pk=meta.get("unit")).first(),
        "format_name": dict(ImportForm.FORMATS).get(meta.get("format", ""), ""),
    }


@login_required
def bank_import(request: HttpRequest) -> HttpResponse:
    """Upload and preview; the file is kept server-side so the import runs
    from the preview without choosing it again (bank_import_confirm)."""
    user = _trainer(request)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        actor=user,
        initial={"owner_unit": user.unit_id},
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = d["file"].read()
        meta = {"format": d["format"], "category": d["category"], "unit": d["owner_unit"].pk}
        result = parse(io.BytesIO(data), d["format"])
        context.update(_preview_context(result, meta))
        if not result.problems:
            context["token"] = staging.stage(user=user, kind="questions", data=data, meta=meta)
    return render(request, "frontend/quizzes/import.html", context)


@login_required
@require_POST
def bank_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the file kept at preview time; only its uploader may."""
    user = _trainer(request)
    token = request.POST.get("token", "")
    try:
        data, meta = staging.load(token, user=user, kind="questions")
    except staging.StagingExpired:
        messages.error(request, _("Phiên nhập đã hết hạn, vui lòng chọn lại tệp."))
        return redirect("frontend:quiz-bank-import")
    unit = Unit.objects.visible_to(user).filter(pk=meta["unit"]).first()
    skip = request.POST.get("skip_unsupported") == "1"
    try:
        report = run_import(
            upload=io.BytesIO(data),
            format=meta["format"],
            category_path=meta["category"],
            owner_unit=unit,
            actor=user,
            skip_unsupported=skip,
        )
    except (ImportFailed, PermissionDenied) as exc:
        result = parse(io.BytesIO(data), meta["format"])
        context = {"form": ImportForm(actor=user, initial={"owner_unit": user.unit_id})}
        context.update(_preview_context(result, meta), token=token)
        if isinstance(exc, ImportFailed):
            context["import_problems"] = exc.problems
        else:
            context["import_problems"] = [Problem(0, str(exc))]
        return render(request, "frontend/quizzes/import.html", context, status=400)
    staging.discard(token, user=user, kind="questions")
    messages.success(request, _("Đã nhập %(n)s câu hỏi.") % {"n": report.created})
    category = _base_category(meta, unit)
    url = reverse("frontend:quiz-bank")
    return redirect(f"{url}?category={category.pk}" if category else url)


def _base_category(meta: dict[str, Any], unit: Unit | None) -> QuestionCategory | None:
    names = [p.strip() for p in meta.get("category", "").split("/") if p.strip()]
    node = None
    for name in names:
        node = QuestionCategory.objects.filter(name=name, parent=node, owner_unit=unit).first()
        if node is None:
            return None
    return node


@login_required
@require_GET
def bank_import_template(request: HttpRequest) -> HttpResponse:
    """The XLSX to fill: one example row per type and the rule of every column."""
    _trainer(request)
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-cau-hoi.xlsx"'
    return response


EXPORTS = {
    "gift": ("text/plain; charset=utf-8", "gift.txt"),
    "moodlexml": ("application/xml; charset=utf-8", "moodle.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@login_required
def bank_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """A category (with its subcategories) or a quiz's fixed questions, as GIFT
    or Moodle XML that Moodle imports, or as the XLSX template."""
    user = _trainer(request)
    if fmt not in EXPORTS:
        raise Http404
    root = None
    quiz_id = parse_id(request.GET.get("quiz"))
    if quiz_id is not None:
        quiz = Quiz.objects.visible_to(user).filter(pk=quiz_id).first()
        if quiz is None:
            raise Http404
        ids = [i.question_id for i in quiz.items.filter(kind=QuizItem.Kind.FIXED) if i.question_id]
        order = {pk: n for n, pk in enumerate(ids)}
        questions = sorted(
            Question.objects.visible_to(user)
            .filter(pk__in=ids)
            .select_related("current_version", "category")
            .prefetch_related("tags"),
            key=lambda q: order[q.pk],
        )
        stem = f"bai-kiem-tra-{quiz.pk}"
    else:
        category_id = parse_id(request.GET.get("category"))
        root = (
            QuestionCategory.objects.visible_to(user).filter(pk=category_id).first()
            if category_id is not None
            else None
        )
        if root is None:
            raise Http404
        questions = list(
            Question.objects.visible_to(user)
            .filter(category__path__startswith=root.path, is_active=True)
            .select_related("current_version", "category")
            .prefetch_related("tags")
            .order_by("category__path", "id")
        )
        stem = f"cau-hoi-{root.pk}"
    content_type, ext = EXPORTS[fmt]
    body: str | bytes
    if fmt == "gift":
        body = export_gift(questions, root=root, categories=True)
    elif fmt == "moodlexml":
        body = export_moodle_xml(questions, root=root)
    else:
        body = export_xlsx(questions)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'
    return response
