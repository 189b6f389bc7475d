"""Workflows on people and units. Every write that matters leaves an audit row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AuditLog, Grant, Unit, User
from .signals import appointment_changed, learner_placed


def record(
    *,
    actor: User | None,
    action: str,
    unit: Unit | None = None,
    target: object = "",
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        unit=unit,
        target=str(target)[:255],
        data=data or {},
        reason=reason,
    )


def _check_unit_in_scope(actor: User, unit: Unit | None) -> None:
    if unit is None:
        if not actor.is_superuser:
            raise PermissionDenied(_("Chỉ quản trị hệ thống được tạo đơn vị cấp cao nhất."))
        return
    if not actor.can_see_unit(unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))


def _announce_placed(user: User) -> None:
    if user.role == User.Role.LEARNER and user.unit_id and user.is_active:
        transaction.on_commit(lambda: learner_placed.send(sender=User, user=user, unit=user.unit))


@transaction.atomic
def create_unit(
    *, actor: User, name: str, code: str, kind: str, parent: Unit | None, place: str = ""
) -> Unit:
    _check_unit_in_scope(actor, parent)
    if Unit.objects.filter(code__iexact=code.strip()).exists():
        raise ValidationError({"code": _("Mã đơn vị đã tồn tại.")})
    fields = {"name": name, "code": code, "kind": kind, "place": place}
    unit = Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
    record(
        actor=actor,
        action=AuditLog.Action.UNIT_CHANGED,
        unit=unit,
        target=unit,
        data={"created": fields},
    )
    return unit


@transaction.atomic
def update_unit(*, actor: User, unit: Unit, **fields: Any) -> Unit:
    _check_unit_in_scope(actor, unit)
    changes = {k: [getattr(unit, k), v] for k, v in fields.items() if getattr(unit, k) != v}
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.save()
    if changes:
        record(
            actor=actor,
            action=AuditLog.Action.UNIT_CHANGED,
            unit=unit,
            target=unit,
            data={"changes": changes},
        )
    return unit


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    unit: Unit | None,
    role: str = User.Role.LEARNER,
    email: str = "",
    phone: str = "",
    appointment_date: date | None = None,
    password: str | None = None,
) -> User:
    if actor is not None:
        _check_unit_in_scope(actor, unit)
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        unit=unit,
        role=role,
        appointment_date=appointment_date,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if role != User.Role.LEARNER and unit is not None:
        Grant.objects.create(user=user, unit=unit)
    record(
        actor=actor,
        action=AuditLog.Action.USER_CREATED,
        unit=unit,
        target=user,
        data={"username": user.username, "role": role},
    )
    _announce_placed(user)
    return user


@transaction.atomic
def update_user(*, actor: User, user: User, **fields: Any) -> User:
    """Change a person's details; unit and role changes are audited as such."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not actor.can_see_user(user) or not actor.is_unit_admin:
        raise PermissionDenied(_("Người dùng nằm ngoài phạm vi quản lý của bạn."))
    new_unit = fields.get("unit", user.unit)
    if new_unit != user.unit:
        _check_unit_in_scope(actor, new_unit)
    before = {k: getattr(user, k) for k in fields}
    for key, value in fields.items():
        setattr(user, key, value)
    user.save()
    changes = {k: [str(before[k]), str(v)] for k, v in fields.items() if before[k] != v}
    if "unit" in changes:
        record(
            actor=actor,
            action=AuditLog.Action.USER_MOVED,
            unit=new_unit,
            target=user,
            data={"from": changes.pop("unit")[0], "to": str(new_unit)},
        )
        _announce_placed(user)
    if "appointment_date" in changes:
        transaction.on_commit(lambda: appointment_changed.send(sender=User, user=user))
    if "role" in changes:
        record(
            actor=actor,
            action=AuditLog.Action.ROLE_CHANGED,
            unit=user.unit,
            target=user,
            data={"role": changes.pop("role")},
        )
    if changes:
        record(
            actor=actor,
            action=AuditLog.Action.USER_CHANGED,
            unit=user.unit,
            target=user,
            data={"changes": changes},
        )
    return user


def move_user(*, actor: User, user: User, unit: Unit) -> User:
    return update_user(actor=actor, user=user, unit=unit)


@transaction.atomic
def deactivate_user(*, actor: User, user: User) -> User:
    if user.pk == actor.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    if not actor.is_unit_admin or not actor.can_see_user(user):
        raise PermissionDenied(_("Người dùng nằm ngoài phạm vi quản lý của bạn."))
    user.is_active = False
    user.save(update_fields=["is_active"])  # a save, so the cached user is dropped at once
    record(actor=actor, action=AuditLog.Action.USER_DEACTIVATED, unit=user.unit, target=user)
    return user


@transaction.atomic
def set_grants(*, actor: User, user: User, units: list[Unit]) -> User:
    """Replace the units a trainer/admin is responsible for (within the actor's scope)."""
    for unit in units:
        _check_unit_in_scope(actor, unit)
    if not actor.can_see_user(user) or not actor.is_unit_admin:
        raise PermissionDenied(_("Người dùng nằm ngoài phạm vi quản lý của bạn."))
    kept = [g.unit for g in user.grants.select_related("unit") if not actor.can_see_unit(g.unit)]
    user.grants.all().delete()
    Grant.objects.bulk_create([Grant(user=user, unit=u) for u in {*kept, *units}])
    record(
        actor=actor,
        action=AuditLog.Action.ROLE_CHANGED,
        unit=user.unit,
        target=user,
        data={"grants": sorted(u.code for u in {*kept, *units})},
    )
    return user
