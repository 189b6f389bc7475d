from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display_code", read_only=True)
    state = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    credential_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "former_serial",
            "code",
            "user",
            "learner_name",
            "course",
            "course_title",
            "issuing_unit_name",
            "score",
            "completed_on",
            "issued_at",
            "expires_on",
            "status",
            "state",
            "revoked_at",
            "revocation_reason",
            "needs_review",
            "verify_url",
            "pdf_url",
            "credential_url",
        ]
        read_only_fields = fields

    def get_state(self, obj: Certificate) -> str:
        return obj.state()

    def get_verify_url(self, obj: Certificate) -> str:
        return obj.verify_url()

    def get_pdf_url(self, obj: Certificate) -> str:
        return reverse("certificate-pdf", args=[obj.pk])

    def get_credential_url(self, obj: Certificate) -> str:
        return reverse("certificate-credential", args=[obj.pk])


class VerificationSerializer(serializers.Serializer):
    """What anyone may learn from a code: status and the certificate's face, nothing more."""

    code = serializers.CharField()
    serial = serializers.CharField()
    former_serial = serializers.CharField(allow_blank=True)  # printed on the copy, if not `serial`
    state = serializers.ChoiceField(choices=["valid", "expired", "revoked", "replaced"])
    state_label = serializers.CharField()
    learner_name = serializers.CharField()
    course_title = serializers.CharField()
    issued_on = serializers.DateField()
    issuing_unit_name = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)

    @staticmethod
    def of(certificate: Certificate) -> dict[str, Any]:
        from django.utils import timezone

        return {
            "code": certificate.display_code,
            "serial": certificate.serial,
            "former_serial": certificate.former_serial,
            "state": certificate.state(),
            "state_label": certificate.state_label(),
            "learner_name": certificate.learner_name,
            "course_title": certificate.course_title,
            "issued_on": timezone.localdate(certificate.issued_at),
            "issuing_unit_name": certificate.issuing_unit_name,
            "expires_on": certificate.expires_on,
            "revoked_on": timezone.localdate(certificate.revoked_at)
            if certificate.revoked_at
            else None,
            "revocation_reason": certificate.revocation_reason
            if certificate.status == Certificate.Status.REVOKED
            else "",
        }


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        error_messages={
            "required": _("Vui lòng nhập lý do thu hồi."),
            "blank": _("Vui lòng nhập lý do thu hồi."),
        },
    )
