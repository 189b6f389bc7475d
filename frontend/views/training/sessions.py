"""Training session screens: the list, a session's page (learners answer the
invitation there, trainers manage it), the form, cancellation, materials,
the calendar feed page and a course's attendance requirements."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from accounts.models import User
from courses.authoring import check_can_edit
from courses.models import Course
from training import services
from training.models import AttendanceRule, Registration, SessionMaterial, TrainingSession

from ..courses.common import apply_errors, error_text, require_trainer
from .forms import (
    AttendanceRuleForm,
    CancelForm,
    DeclineForm,
    MaterialForm,
    SessionForm,
    initial_for,
)

DECLINE_REASONS = [
    "Bận công tác",
    "Ốm",
    "Việc gia đình",
    "Trùng lịch họp",
]


def _with_answers(qs: QuerySet[TrainingSession], user: User) -> QuerySet[TrainingSession]:
    return qs.annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        waitlisted=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
        my_status=Subquery(
            Registration.objects.filter(session=OuterRef("pk"), user=user).values("status")[:1]
        ),
    )


def upcoming_for_learner(user: User, course: Course | None = None, limit: int = 5) -> list[Any]:
    """Invited sessions not yet over (cancelled ones too, marked), soonest first:
    one query."""
    qs = services.invited_sessions(user).filter(ends_at__gte=timezone.now())
    if course is not None:
        qs = qs.filter(course=course)
    return list(_with_answers(qs, user).order_by("starts_at", "pk")[:limit])


def dashboard_section(request: AuthedRequest) -> dict[str, Any] | None:
    """ "Tập huấn sắp tới" on a learner's dashboard (one query; nothing when none)."""
    user = request.user
    if user.is_trainer or user.unit_id is None:
        return None
    sessions = upcoming_for_learner(user)
    if not sessions:
        return None
    return {
        "template": "frontend/training/_dashboard.html",
        "sessions": sessions,
        "reasons": DECLINE_REASONS,
    }


def course_section(user: User, course: Course) -> list[Any]:
    """The course page's upcoming sessions for a learner."""
    if user.unit_id is None:
        return []
    return upcoming_for_learner(user, course=course, limit=20)


def _get_session(request: AuthedRequest, pk: int) -> TrainingSession:
    qs = services.visible_sessions(request.user)
    return get_object_or_404(_with_answers(qs, request.user), pk=pk)


def _get_managed(request: AuthedRequest, pk: int) -> TrainingSession:
    """A session the trainer may change (its course is theirs to author); 404 for
    everyone else, trainers of a merely invited unit included."""
    require_trainer(request)
    return get_object_or_404(services.sessions_editable_by(request.user), pk=pk)


@login_required
@require_GET
def session_list(request: AuthedRequest) -> HttpResponse:
    """Trainers: the sessions in their scope, upcoming then past; learners: their invitations."""
    user = request.user
    now = timezone.now()
    qs = _with_answers(services.visible_sessions(user), user)
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at", "pk")[:100])
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:50])
    return render(
        request,
        "frontend/training/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "manage": user.is_trainer,
            "reasons": DECLINE_REASONS,
            "registration_labels": dict(Registration.Status.choices),
        },
    )


@login_required
@require_GET
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    user = request.user
    manage = user.is_trainer and services.may_manage(user, session)
    checkin = manage or (user.is_trainer and services.may_run_checkin(user, session))
    context: dict[str, Any] = {
        "session": session,
        "materials": list(session.materials.all()),
        "units": list(session.invited_units.all()),
        "manage": manage,
        "checkin": checkin,
        "reasons": DECLINE_REASONS,
        "now": timezone.now(),
        "decline_form": DeclineForm(),
    }
    if manage:
        context["registrations"] = list(
            session.registrations.select_related("user__unit").order_by("status", "created_at")
        )
        context["material_form"] = MaterialForm()
        context["invited_count"] = services.invited_learners(session).count()
    return render(request, "frontend/training/detail.html", context)


@login_required
@require_POST
def session_respond(request: AuthedRequest, pk: int) -> HttpResponse:
    """Register or decline (with a reason); htmx swaps the answer box in place."""
    session = _get_session(request, pk)
    answer = request.POST.get("answer", "register")
    form = DeclineForm(request.POST) if answer == "decline" else None
    error = ""
    try:
        if form is not None:
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            services.decline(session=session, user=request.user, reason=form.cleaned_data["reason"])
        else:
            registration = services.register(session=session, user=request.user)
            if registration.status == Registration.Status.WAITLISTED and not request.htmx:
                messages.info(request, _("Buổi tập huấn đã đủ chỗ: bạn ở danh sách chờ."))
    except (PermissionDenied, ValidationError) as exc:
        error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(request.POST.get("next") or session.get_absolute_url())
    session = _get_session(request, pk)
    return render(
        request,
        "frontend/training/_answer.html",
        {"session": session, "error": error, "reasons": DECLINE_REASONS, "now": timezone.now()},
    )


@login_required
def session_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Create, or edit (a new time postpones the session and tells the learners)."""
    actor = require_trainer(request)
    session = _get_managed(request, pk) if pk is not None else None
    if session is not None and session.is_cancelled:
        messages.error(request, _("Buổi tập huấn đã hủy, không sửa được."))
        return redirect(session.get_absolute_url())
    initial: dict[str, Any] = initial_for(session) if session else {"checkin_opens_minutes": 30}
    if session is None and request.GET.get("course", "").isdigit():
        initial["course"] = int(request.GET["course"])
    form = SessionForm(request.POST or None, actor=actor, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session = services.create_session(
                    actor=actor,
                    course=form.cleaned_data["course"],
                    data=form.session_data(),
                    invited_units=form.cleaned_data["invited_units"],
                )
                messages.success(request, _("Đã lên lịch buổi tập huấn."))
            else:
                moved = (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]) != (
                    session.starts_at,
                    session.ends_at,
                )
                session = services.update_session(
                    actor=actor,
                    session=session,
                    data=form.session_data(),
                    invited_units=form.cleaned_data["invited_units"],
                )
                messages.success(
                    request,
                    _("Đã dời lịch và báo cho học viên đã đăng ký.")
                    if moved
                    else _("Đã lưu buổi tập huấn."),
                )
            return redirect(session.get_absolute_url())
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
    return render(request, "frontend/training/form.html", {"form": form, "session": session})


@login_required
def session_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_managed(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã hủy buổi tập huấn và báo cho học viên."))
            return redirect(session.get_absolute_url())
    return render(request, "frontend/training/cancel.html", {"form": form, "session": session})


@login_required
@require_POST
def material_add(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_managed(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_material(
                actor=request.user,
                session=session,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Đã thêm tài liệu."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("frontend:session-detail", args=[session.pk]) + "#materials")


@login_required
@require_POST
def material_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    require_trainer(request)
    material = get_object_or_404(
        SessionMaterial.objects.filter(session__in=services.sessions_editable_by(request.user)),
        pk=pk,
    )
    services.delete_material(actor=request.user, material=material)
    messages.success(request, _("Đã xóa tài liệu."))
    return redirect(reverse("frontend:session-detail", args=[material.session_id]) + "#materials")


@login_required
def material_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Handouts are served only here: to the invited and to trainers in scope."""
    material = get_object_or_404(
        SessionMaterial.objects.filter(session__in=services.visible_sessions(request.user)),
        pk=pk,
    )
    if not material.file:
        raise Http404
    ext = material.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{material.title}.{ext}",
        content_type=mimetypes.guess_type(material.file.name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def calendar_page(request: AuthedRequest) -> HttpResponse:
    """My calendar feed URL (and a new one, which retires the old)."""
    feed = services.feed_for(request.user)
    if request.method == "POST":
        feed.rotate()
        messages.success(request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ không còn dùng được."))
        return redirect("frontend:session-calendar")
    url = request.build_absolute_uri(reverse("training:calendar-feed", args=[feed.token]))
    return render(request, "frontend/training/calendar.html", {"feed_url": url})


@login_required
def attendance_rules(request: AuthedRequest, pk: int) -> HttpResponse:
    """A course's attendance requirements for completion (trainers who author it)."""
    require_trainer(request)
    course = get_object_or_404(Course.objects.editable_by(request.user), pk=pk)
    form = AttendanceRuleForm(request.POST or None, course=course)
    if request.method == "POST":
        delete = request.POST.get("delete", "")
        try:
            if delete.isdigit():
                rule = get_object_or_404(AttendanceRule, course=course, pk=int(delete))
                services.delete_rule(actor=request.user, rule=rule)
                messages.success(request, _("Đã bỏ yêu cầu tham dự."))
                return redirect("frontend:attendance-rules", course.pk)
            if form.is_valid():
                services.add_rule(actor=request.user, course=course, **form.cleaned_data)
                messages.success(request, _("Đã thêm yêu cầu tham dự."))
                return redirect("frontend:attendance-rules", course.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    check_can_edit(request.user, course)
    rules = list(course.attendance_rules.select_related("module"))
    sessions = list(
        TrainingSession.objects.filter(course=course)
        .select_related("module")
        .prefetch_related(Prefetch("invited_units"))
        .order_by("starts_at")
    )
    return render(
        request,
        "frontend/training/rules.html",
        {"course": course, "rules": rules, "form": form, "sessions": sessions},
    )
