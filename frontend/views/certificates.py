"""Certificate pages: public verification, "Chứng nhận của tôi", the admin register."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.models import Unit, User
from config.ids import parse_id
from courses.certificates import codes, services, signing
from courses.certificates.api import credential_response, pdf_response
from courses.certificates.forms import CertificateSettingsForm
from courses.certificates.models import Certificate, CertificateExport, CertificateSettings
from courses.certificates.pdf import render_pdf
from courses.certificates.ratelimit import allow_lookup
from courses.certificates.register import (
    STATES,
    filter_register,
    register_for,
    register_xlsx,
    revoked_since_built,
    start_export,
)
from courses.models import Course


def _require_admin(request: Any) -> User:
    if not request.user.is_unit_admin:
        raise PermissionDenied
    return request.user


def _get_certificate(request: Any, pk: int) -> Certificate:
    """A certificate the user may see (own, or in their units); 404 otherwise."""
    return get_object_or_404(register_for(request.user), pk=pk)


# ---------------------------------------------------------------- public


def _not_found(request: HttpRequest, code: str = "") -> HttpResponse:
    return render(request, "frontend/certificates/not_found.html", {"code": code[:40]}, status=404)


@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a code, land on its verification page."""
    typed = request.GET.get("code", "").strip()
    if typed:
        canonical = codes.normalize(typed)
        if canonical is None:
            return render(
                request,
                "frontend/certificates/verify_form.html",
                {"code": typed[:40], "error": _("Mã xác thực không đúng. Vui lòng kiểm tra lại.")},
                status=404,
            )
        return redirect("certificate-verify", code=codes.display(canonical))
    return render(request, "frontend/certificates/verify_form.html", {"code": ""})


@never_cache
def verify_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): valid, expired, revoked or replaced, and the certificate's face."""
    if not allow_lookup(request):
        return render(request, "frontend/certificates/rate_limited.html", status=429)
    canonical = codes.normalize(code)
    if canonical is None:
        return _not_found(request, code)
    certificate = Certificate.objects.filter(code=canonical).first()
    if certificate is None:
        return _not_found(request, code)
    return render(
        request,
        "frontend/certificates/verify.html",
        {
            "certificate": certificate,
            "signatory": CertificateSettings.objects.filter(
                course_id=certificate.course_id
            ).first(),
            "key_id": _signing_key_id(),
        },
    )


def _signing_key_id() -> str | None:
    """The key's id for the technical details; None where no key is configured yet."""
    try:
        return signing.public_jwk()["kid"]
    except ImproperlyConfigured:
        return None


# ---------------------------------------------------------------- learner


@login_required
def my_certificates(request: AuthedRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(user=request.user).exclude(
        status=Certificate.Status.REPLACED
    )
    return render(request, "frontend/certificates/mine.html", {"certificates": certificates})


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return pdf_response(_get_certificate(request, pk))


@login_required
def certificate_credential(request: HttpRequest, pk: int) -> HttpResponse:
    return credential_response(_get_certificate(request, pk))


# ---------------------------------------------------------------- register


def _register_filters(request: Any) -> dict[str, Any]:
    user = request.user
    units = Unit.objects.visible_to(user).order_by("path")
    courses = Course.objects.filter(
        pk__in=register_for(user).values("course_id").distinct()
    ).order_by("title")
    unit_id, course_id = parse_id(request.GET.get("unit")), parse_id(request.GET.get("course"))
    unit = None if unit_id is None else units.filter(pk=unit_id).first()
    course = None if course_id is None else courses.filter(pk=course_id).first()
    state = request.GET.get("state", "")
    return {
        "units": units,
        "courses": courses,
        "unit": unit,
        "course": course,
        "state": state if state in STATES else "",
        "query": request.GET.get("q", "").strip()[:100],
    }


def _filtered(request: Any, filters: dict[str, Any]) -> Any:
    return filter_register(
        register_for(request.user),
        unit=filters["unit"],
        course=filters["course"],
        state=filters["state"],
        query=filters["query"],
    ).order_by("-issued_at", "-pk")


@login_required
def register(request: Any) -> HttpResponse:
    _require_admin(request)
    filters = _register_filters(request)
    page = Paginator(_filtered(request, filters), 50).get_page(request.GET.get("page"))
    querystring = urlencode(
        {
            "q": filters["query"],
            "unit": filters["unit"].pk if filters["unit"] else "",
            "course": filters["course"].pk if filters["course"] else "",
            "state": filters["state"],
        }
    )
    template = "frontend/certificates/register.html"
    if request.htmx:
        template += "#results"
    context = {
        **filters,
        "page": page,
        "querystring": querystring,
        "states": [
            ("valid", _("Còn hiệu lực")),
            ("expired", _("Đã hết hạn")),
            ("revoked", _("Đã thu hồi")),
            ("replaced", _("Đã được cấp lại")),
            ("review", _("Cần xem xét")),
        ],
        "today": timezone.localdate(),
    }
    return render(request, template, context)


@login_required
def register_export(request: Any) -> HttpResponse:
    _require_admin(request)
    filters = _register_filters(request)
    content = register_xlsx(_filtered(request, filters))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="so-cap-chung-nhan-{stamp}.xlsx"'
    return response


@login_required
@require_POST
def register_zip(request: Any) -> HttpResponse:
    actor = _require_admin(request)
    unit_id, course_id = parse_id(request.POST.get("unit")), parse_id(request.POST.get("course"))
    unit = (
        None if unit_id is None else get_object_or_404(Unit.objects.visible_to(actor), pk=unit_id)
    )
    course = None if course_id is None else get_object_or_404(Course, pk=course_id)
    if unit is None and course is None:
        messages.error(request, _("Hãy chọn một đơn vị hoặc một khóa học để tải tệp ZIP."))
        return redirect("frontend:certificate-register")
    export = start_export(actor=actor, unit=unit, course=course)
    return redirect("frontend:certificate-export", pk=export.pk)


def _get_export(request: Any, pk: int) -> CertificateExport:
    return get_object_or_404(CertificateExport, pk=pk, requested_by=request.user)


@login_required
def export_status(request: Any, pk: int) -> HttpResponse:
    """The ZIP's progress; the fragment polls itself until the file is ready."""
    _require_admin(request)
    export = _get_export(request, pk)
    template = "frontend/certificates/export.html"
    if request.htmx:
        template += "#progress"
    stale = export.status == CertificateExport.Status.DONE and revoked_since_built(export)
    return render(request, template, {"export": export, "stale": stale})


@login_required
def export_download(request: Any, pk: int) -> HttpResponseBase:
    _require_admin(request)
    export = _get_export(request, pk)
    if export.status != CertificateExport.Status.DONE or not export.file:
        raise Http404
    if revoked_since_built(export):
        messages.error(
            request,
            _(
                "Có giấy chứng nhận đã bị thu hồi sau khi tạo tệp ZIP này. "
                "Hãy tạo lại tệp để có bản đóng dấu thu hồi."
            ),
        )
        return redirect("frontend:certificate-export", pk=export.pk)
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"giay-chung-nhan-{stamp}.zip",
        content_type="application/zip",
    )


@login_required
def certificate_revoke(request: Any, pk: int) -> HttpResponse:
    actor = _require_admin(request)
    certificate = _get_certificate(request, pk)
    error = ""
    if request.method == "POST":
        try:
            services.revoke(
                actor=actor, certificate=certificate, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Đã thu hồi giấy chứng nhận %(serial)s.") % {"serial": certificate.serial},
            )
            return redirect("frontend:certificate-register")
    return render(
        request,
        "frontend/certificates/revoke.html",
        {"certificate": certificate, "error": error, "reason": request.POST.get("reason", "")},
        status=400 if error else 200,
    )


@login_required
@require_POST
def certificate_reissue(request: Any, pk: int) -> HttpResponse:
    actor = _require_admin(request)
    certificate = _get_certificate(request, pk)
    try:
        new = services.reissue(
            actor=actor, certificate=certificate, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã cấp lại giấy chứng nhận: số hiệu mới %(serial)s.") % {"serial": new.serial},
        )
    return redirect(reverse("frontend:certificate-register"))


@login_required
@require_POST
def certificate_keep(request: Any, pk: int) -> HttpResponse:
    """After review of a failing regrade: keep the certificate valid."""
    actor = _require_admin(request)
    certificate = _get_certificate(request, pk)
    services.clear_review(actor=actor, certificate=certificate)
    messages.success(
        request, _("Đã giữ nguyên giấy chứng nhận %(serial)s.") % {"serial": certificate.serial}
    )
    return redirect("frontend:certificate-register")


# ---------------------------------------------------------------- per-course settings


def _get_editable_course(request: Any, pk: int) -> Course:
    return get_object_or_404(Course.objects.editable_by(request.user), pk=pk)


@login_required
def course_settings(request: Any, pk: int) -> HttpResponse:
    """Title, signatory, images and regrade policy of one course's certificate."""
    course = _get_editable_course(request, pk)
    instance = services.course_settings(course)
    form = CertificateSettingsForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_settings(actor=request.user, form=form)
        messages.success(request, _("Đã lưu mẫu giấy chứng nhận."))
        return redirect("frontend:certificate-settings", pk=course.pk)
    return render(
        request,
        "frontend/certificates/settings.html",
        {"course": course, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def course_settings_preview(request: Any, pk: int) -> HttpResponse:
    course = _get_editable_course(request, pk)
    content = render_pdf(services.sample_document(course))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{course.code}.pdf"'
    return response


@login_required
def course_settings_list(request: Any) -> HttpResponse:
    """The courses whose certificate this trainer may design."""
    if not request.user.is_trainer:
        raise PermissionDenied
    courses = Course.objects.editable_by(request.user).order_by("title")
    return render(request, "frontend/certificates/settings_list.html", {"courses": courses})
