"""Attendance pages: the trainer's projector screen with the rotating QR, the
URL a learner's camera opens, the trainer's scanner, the roll-call, and the
learner's personal QR on the profile page."""

from __future__ import annotations

from datetime import UTC, datetime

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.http import AuthedRequest
from accounts.models import AuditLog, User
from training import checkin, rollcall, services
from training.models import Attendance, TrainingSession

PENDING_KEY = "checkin_pending"


def _managed_session(request: AuthedRequest, pk: int) -> TrainingSession:
    """A session the trainer/admin runs check-in for (its course is theirs, or it
    invites a unit in their scope); 404 for everyone else."""
    return get_object_or_404(
        services.sessions_in_scope(request.user).select_related("course__owner_unit"), pk=pk
    )


def _qr(text: str, scale: int = 10) -> str:
    # micro=False: segno would pick a Micro QR for a short code; phones cannot read those.
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=scale, border=4)


# ---------------------------------------------------------------- projector screen


@never_cache
@login_required
@require_safe
def checkin_screen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Projector-friendly: the QR changes every 30 s; the fragment re-requests
    itself when its code is about to change (htmx, `load delay`)."""
    session = _managed_session(request, pk)
    now = timezone.now()
    url = request.build_absolute_uri(reverse("frontend:checkin-scan", args=[session.pk]))
    url += "?t=" + checkin.rotating_token(session.pk, now)
    opens, closes = session.checkin_window()
    template = "frontend/training/checkin_screen.html"
    if request.htmx:
        template += "#code"
    return render(
        request,
        template,
        {
            "session": session,
            "url": url,
            "qr": _qr(url),
            "refresh_in": checkin.seconds_left(now),
            "opens": opens,
            "closes": closes,
            "state": "open" if opens <= now <= closes else ("closed" if now > closes else "soon"),
            "attended": session.attendances.filter(status__in=Attendance.ATTENDED).count(),
        },
    )


# ---------------------------------------------------------------- the URL a camera opens


def _scan_page(
    request: HttpRequest, session: TrainingSession | None, **context: object
) -> HttpResponse:
    error = context.get("error")
    status = getattr(error, "status", 200) if error else 200
    return render(
        request,
        "frontend/training/checkin_scan.html",
        {"session": session, **context},
        status=status,
    )


@never_cache
@require_safe
def checkin_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Opened by the learner's camera app. A GET records attendance on purpose:
    the phone opens the link and that must be the whole gesture. Only a fresh
    token signed for this session counts, so a forged or stale link changes
    nothing; a repeat is idempotent.

    Logged out: a valid token is remembered in the (signed) session with the
    time of the scan, and the login brings the learner back here without the
    token, so a slow login does not let the 60 s code expire."""
    session = TrainingSession.objects.filter(pk=pk).select_related("course").first()
    if session is None:
        return _scan_page(request, None, error=checkin.CheckinError("not_found", "", 404))
    now = timezone.now()
    token = request.GET.get("t", "")
    try:
        if token:
            checkin.read_rotating_token(token, session_pk=session.pk, now=now)
            at = now
        else:
            at = _pending_scan(request, session, now)
        if not request.user.is_authenticated:
            request.session[PENDING_KEY] = {"session": session.pk, "at": at.timestamp()}
            return redirect_to_login(request.path)
        request.session.pop(PENDING_KEY, None)
        assert isinstance(request.user, User)
        result = checkin.check_in(
            session=session, learner=request.user, method=Attendance.Method.QR, at=at, now=now
        )
    except checkin.CheckinError as error:
        if error.code == "no_token" and request.user.is_authenticated:
            # Back on the page later (history, reload): show the record, if any.
            earlier = session.attendances.filter(
                user=request.user, status__in=Attendance.ATTENDED
            ).first()
            if earlier:
                return _scan_page(request, session, result=checkin.Result(earlier, False))
        return _scan_page(request, session, error=error)
    return _scan_page(request, session, result=result)


def _pending_scan(request: HttpRequest, session: TrainingSession, now: datetime) -> datetime:
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("session") == session.pk:
        at = datetime.fromtimestamp(float(pending["at"]), tz=UTC)
        if (now - at).total_seconds() <= checkin.PENDING_SECONDS:
            return at
    raise checkin.CheckinError("no_token", checkin.MISSING_TOKEN_MESSAGE)


# ---------------------------------------------------------------- trainer's scanner


@never_cache
@login_required
@require_safe
def checkin_scanner(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    return render(
        request,
        "frontend/training/checkin_scanner.html",
        {
            "session": session,
            "api_url": reverse("api-session-check-in", args=[session.pk]),
        },
    )


# ---------------------------------------------------------------- roll-call


@never_cache
@login_required
@require_safe
def roll_call(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    rows = rollcall.roll_call(session, viewer=request.user)
    history = AuditLog.objects.filter(
        action=AuditLog.Action.ATTENDANCE_CHANGED, data__session=session.pk
    )
    if rollcall.viewer_scope(session, request.user) is not None:
        # A trainer of an invited unit: the changes to their own learners' rows only.
        history = history.filter(data__user__in=[row.user.pk for row in rows])
    history = history.select_related("actor").order_by("-created_at", "-pk")[:50]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    return render(
        request,
        "frontend/training/checkin_rollcall.html",
        {
            "session": session,
            "rows": rows,
            "counts": counts,
            "history": history,
            "ended": timezone.now() > session.ends_at,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roll_call_edit(request: AuthedRequest, pk: int, user_pk: int) -> HttpResponse:
    """One learner's row: GET the edit form, POST the change (with a reason
    once the session has ended). The fragment replaces the row in place."""
    session = _managed_session(request, pk)
    row = rollcall.roll_call_row(session, user_pk, viewer=request.user)
    errors: dict[str, str] = {}
    values = {"status": row.status or "", "note": row.note, "reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("status", "note", "reason")}
        try:
            rollcall.set_attendance(
                session=session,
                learner=row.user,
                status=values["status"],
                note=values["note"],
                reason=values["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            if not request.htmx:
                return redirect("frontend:roll-call", session.pk)
            row = rollcall.roll_call_row(session, user_pk, viewer=request.user)
            return render(
                request,
                "frontend/training/checkin_rollcall.html#row",
                {"session": session, "row": row, "saved": True},
            )
    template = "frontend/training/checkin_rollcall.html"
    if request.htmx:
        template += "#edit"
    return render(
        request,
        template,
        {
            "editing": True,
            "session": session,
            "row": row,
            "values": values,
            "errors": errors,
            "statuses": Attendance.Status.choices,
            "ended": timezone.now() > session.ends_at,
        },
    )


# ---------------------------------------------------------------- profile


@login_required
@require_safe
def profile(request: AuthedRequest) -> HttpResponse:
    """The learner's page with their personal check-in QR, printable."""
    code = checkin.personal_code(request.user.pk)
    return render(
        request,
        "frontend/training/checkin_profile.html",
        {"code": code, "qr": _qr(code, scale=8)},
    )
