from typing import Any, cast

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import AnonRateThrottle

from config.ids import parse_id

from . import services
from .http import AuthedApiRequest
from .models import AuditLog, Unit, User
from .serializers import (
    AuditLogSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UnitSerializer,
    UserSerializer,
)


class IsUnitAdminOrReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and request.user.is_unit_admin)


class IsUnitAdmin(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_unit_admin)


def django_errors(exc: Exception) -> Exception:
    """Turn a service's Django exception into the DRF one (400 / 403)."""
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied(str(exc))
    if isinstance(exc, DjangoValidationError):
        return serializers.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    return exc


class TokenThrottle(AnonRateThrottle):
    scope = "token"


@extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, auth=[])
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
@throttle_classes([TokenThrottle])
def obtain_token(request: Request) -> Response:
    """Exchange a username and password for an API token (header `Authorization: Token ...`)."""
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(request._request, **data.validated_data)
    if user is None:
        return Response(
            {"detail": _("Tên đăng nhập hoặc mật khẩu không đúng.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    token, _created = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(MeSerializer(request.user).data)


class UnitViewSet(viewsets.ModelViewSet):
    queryset = Unit.objects.none()  # for the schema; requests use get_queryset
    serializer_class = UnitSerializer
    permission_classes = [permissions.IsAuthenticated, IsUnitAdminOrReadOnly]
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[Unit]:
        return Unit.objects.visible_to(self.request.user).order_by("path")

    def perform_create(self, serializer: BaseSerializer[Unit]) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.create_unit(
                actor=self.request.user,
                name=data["name"],
                code=data["code"],
                kind=data.get("kind", Unit.Kind.CELL),
                place=data.get("place", ""),
                parent=data.get("parent"),
            )
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise django_errors(exc) from exc

    def perform_update(self, serializer: BaseSerializer[Unit]) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "parent"}
        unit = cast(Unit, serializer.instance)  # update() passes the object it fetched
        try:
            services.update_unit(actor=self.request.user, unit=unit, **data)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise django_errors(exc) from exc

    def perform_destroy(self, instance: Unit) -> None:
        if Unit.objects.get_children_count(instance) or instance.members.exists():
            raise serializers.ValidationError(
                _("Không thể xóa đơn vị còn đơn vị trực thuộc hoặc người dùng.")
            )
        try:
            instance.delete()
        except ProtectedError as exc:
            raise serializers.ValidationError(_("Đơn vị đang được sử dụng.")) from exc


class UserViewSet(viewsets.ModelViewSet):
    queryset = User.objects.none()  # for the schema; requests use get_queryset
    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsUnitAdminOrReadOnly]
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[User]:
        qs = User.objects.visible_to(self.request.user).select_related("unit")
        unit = parse_id(self.request.query_params.get("unit"))
        if unit is not None:
            target = Unit.objects.visible_to(self.request.user).filter(pk=unit).first()
            qs = qs.filter(unit__path__startswith=target.path) if target else qs.none()
        return qs.order_by("username")

    def perform_create(self, serializer: BaseSerializer[User]) -> None:
        try:
            serializer.instance = services.create_user(
                actor=self.request.user, **serializer.validated_data
            )
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise django_errors(exc) from exc

    def perform_update(self, serializer: BaseSerializer[User]) -> None:
        data = dict(serializer.validated_data)
        password = data.pop("password", None)
        target = cast(User, serializer.instance)  # update() passes the object it fetched
        try:
            user = services.update_user(actor=self.request.user, user=target, **data)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise django_errors(exc) from exc
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        serializer.instance = user

    def perform_destroy(self, instance: User) -> None:
        """Deleting a person would lose their history: deactivate instead."""
        try:
            services.deactivate_user(actor=self.request.user, user=instance)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise django_errors(exc) from exc


class AuditLogViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, read-only, limited to the admin's units (everything for a superuser)."""

    queryset = AuditLog.objects.none()  # for the schema; requests use get_queryset
    serializer_class = AuditLogSerializer
    permission_classes = [permissions.IsAuthenticated, IsUnitAdmin]
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[AuditLog]:
        qs = AuditLog.objects.visible_to(self.request.user).select_related("actor", "unit")
        action = self.request.query_params.get("action")
        if action in AuditLog.Action.values:
            qs = qs.filter(action=action)
        return qs.order_by("-created_at", "-pk")
