"""Certificates API: the register (scoped), downloads, revocation and public verification."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import django_errors
from accounts.models import Unit
from config.ids import parse_id
from courses.models import Course

from . import codes, credential, services, signing
from .credential import signed_credential
from .models import Certificate
from .ratelimit import allow_lookup
from .register import filter_register, register_for
from .serializers import CertificateSerializer, RevokeSerializer, VerificationSerializer


def pdf_response(certificate: Certificate) -> FileResponse:
    """The certificate's PDF as an attachment: stamped "ĐÃ THU HỒI" once revoked."""
    return FileResponse(
        services.served_pdf(certificate).open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )


def credential_response(certificate: Certificate) -> JsonResponse:
    response = JsonResponse(
        signed_credential(certificate), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.credential.json"'
    return response


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, enum=["valid", "expired", "revoked", "replaced", "review"]),
        OpenApiParameter("course", int),
        OpenApiParameter("unit", int),
        OpenApiParameter("q", str),
    ]
)
class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """Learners see their own certificates; trainers and admins those of their units."""

    queryset = Certificate.objects.none()  # for the schema; requests use get_queryset
    serializer_class = CertificateSerializer

    def get_queryset(self) -> QuerySet[Certificate]:
        user = self.request.user
        queryset = register_for(user)  # type: ignore[arg-type]
        if self.action != "list":
            return queryset
        params = self.request.query_params
        unit_id, course_id = parse_id(params.get("unit")), parse_id(params.get("course"))
        unit = course = None
        if unit_id is not None:
            unit = Unit.objects.visible_to(user).filter(pk=unit_id).first()  # type: ignore[arg-type]
            if unit is None:
                return queryset.none()
        if course_id is not None:
            course = Course.objects.filter(pk=course_id).first()
            if course is None:
                return queryset.none()
        return filter_register(
            queryset,
            unit=unit,
            course=course,
            state=params.get("state", ""),
            query=params.get("q", ""),
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> FileResponse:
        return pdf_response(self.get_object())

    @extend_schema(responses={200: OpenApiResponse(description="Signed credential (JSON)")})
    @action(detail=True, methods=["get"])
    def credential(self, request: Request, pk: str | None = None) -> JsonResponse:
        """Open Badges 3.0 credential and its Ed25519 JWS (verify with /.well-known/jwks.json)."""
        return credential_response(self.get_object())

    @extend_schema(request=RevokeSerializer, responses={200: CertificateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        certificate = self.get_object()
        if not request.user.is_unit_admin:  # type: ignore[union-attr]
            raise PermissionDenied(_("Chỉ quản trị đơn vị được thu hồi giấy chứng nhận."))
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            certificate = services.revoke(
                actor=request.user,  # type: ignore[arg-type]
                certificate=certificate,
                reason=data.validated_data["reason"],
            )
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise django_errors(exc) from exc
        return Response(CertificateSerializer(certificate).data)


@extend_schema(
    responses={200: VerificationSerializer, 404: OpenApiResponse(description="Unknown code")},
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
def verify(request: Request, code: str) -> Response:
    """Public: the status of the certificate with this verification code."""
    if not allow_lookup(request._request):
        raise Throttled(detail=_("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
    canonical = codes.normalize(code)
    certificate = (
        Certificate.objects.filter(code=canonical).select_related(None).first()
        if canonical
        else None
    )
    if certificate is None:
        return Response(
            {"detail": _("Không tìm thấy giấy chứng nhận với mã xác thực này.")},
            status=status.HTTP_404_NOT_FOUND,
        )
    return Response(VerificationSerializer(VerificationSerializer.of(certificate)).data)


@cache_control(public=True, max_age=3600)
def jwks(request: HttpRequest) -> JsonResponse:
    """The platform's public signing keys (RFC 7517), for anyone verifying a credential."""
    response = JsonResponse(signing.jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _issuer(pk: int) -> Unit:
    """A unit that has issued certificates: only those have a public profile."""
    return get_object_or_404(
        Unit.objects.filter(pk__in=Certificate.objects.values("issuing_unit_id")), pk=pk
    )


@require_safe
@cache_control(public=True, max_age=3600)
def issuer_profile(request: HttpRequest, pk: int) -> JsonResponse:
    """Public: the issuing unit's Open Badges Profile (JSON-LD), naming its signing key."""
    response = JsonResponse(
        credential.issuer_profile(_issuer(pk)),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Public: the unit's revocation list, a signed BitstringStatusListCredential (VC-JWT)."""
    unit = _issuer(pk)
    last = Certificate.objects.aggregate(last=Max("pk"))["last"] or 0
    if number > last // credential.STATUS_LIST_SIZE:
        raise Http404
    response = HttpResponse(
        credential.status_list_credential(unit, number), content_type="application/vc+jwt"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def get_certificate_for(request: Any, pk: int) -> Certificate:
    return get_object_or_404(register_for(request.user), pk=pk)
