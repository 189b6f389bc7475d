"""Pages for units and users: browse (trainers and admins), edit (admins)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import services, staging
from accounts.imports import import_users, template_xlsx
from accounts.models import Unit, User
from accounts.text import fold, vi_order
from config.ids import parse_id

from ..forms import ImportForm, UnitForm, UserForm


def _require_trainer(request: Any) -> User:
    if not request.user.is_trainer:
        raise PermissionDenied
    return request.user


def _require_admin(request: Any) -> User:
    if not request.user.is_unit_admin:
        raise PermissionDenied
    return request.user


def _get_unit(request: Any, pk: int) -> Unit:
    return get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)


def _get_person(request: Any, pk: int) -> User:
    return get_object_or_404(User.objects.visible_to(request.user).select_related("unit"), pk=pk)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def unit_list(request: Any) -> HttpResponse:
    _require_trainer(request)
    units = (
        Unit.objects.visible_to(request.user).annotate(n_members=Count("members")).order_by("path")
    )
    return render(request, "frontend/units/list.html", {"units": units})


@login_required
def unit_detail(request: Any, pk: int) -> HttpResponse:
    _require_trainer(request)
    unit = _get_unit(request, pk)
    children = Unit.objects.get_children(unit).annotate(n_members=Count("members"))
    members = unit.members.order_by(vi_order("full_name"))
    return render(
        request,
        "frontend/units/detail.html",
        {
            "unit": unit,
            "children": children,
            "members": members,
            "enrol_courses": _enrol_courses(request.user),
        },
    )


def _enrol_courses(user: User) -> list[Any]:
    """Published courses the user may enrol learners into (admins: any they see;
    trainers: those they author), the first few by title."""
    from courses.models import Course

    courses = (
        Course.objects.visible_to(user) if user.is_unit_admin else Course.objects.editable_by(user)
    )
    return list(courses.published().order_by("title", "pk")[:10])


@login_required
def unit_form(request: Any, pk: int | None = None) -> HttpResponse:
    actor = _require_admin(request)
    unit = _get_unit(request, pk) if pk else None
    initial = (
        {"name": unit.name, "code": unit.code, "kind": unit.kind, "place": unit.place}
        if unit
        else {"parent": request.GET.get("parent")}
    )
    form = UnitForm(request.POST or None, actor=actor, editing=unit is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if unit:
                unit = services.update_unit(
                    actor=actor,
                    unit=unit,
                    name=data["name"],
                    code=data["code"],
                    kind=data["kind"],
                    place=data["place"],
                )
            else:
                unit = services.create_unit(actor=actor, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect(unit)
    return render(request, "frontend/units/form.html", {"form": form, "unit": unit})


@login_required
def user_list(request: Any) -> HttpResponse:
    _require_trainer(request)
    people = User.objects.visible_to(request.user).select_related("unit")
    units = Unit.objects.visible_to(request.user).order_by("path")
    unit_id = parse_id(request.GET.get("unit"))
    if unit_id is not None:
        unit = units.filter(pk=unit_id).first()
        people = people.filter(unit__path__startswith=unit.path) if unit else people.none()
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(search_key__contains=fold(query))
    role = request.GET.get("role", "")
    if role in User.Role.values:
        people = people.filter(role=role)
    page = Paginator(people.order_by(vi_order("full_name"), "pk"), 50).get_page(
        request.GET.get("page")
    )
    template = "frontend/users/list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "units": units,
            "unit_id": unit_id,
            "query": query,
            "role": role,
            "roles": User.Role.choices,
        },
    )


@login_required
def user_form(request: Any, pk: int | None = None) -> HttpResponse:
    actor = _require_admin(request)
    person = _get_person(request, pk) if pk else None
    form = UserForm(request.POST or None, instance=person, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password, grants = data.pop("password"), data.pop("grants")
        try:
            if person:
                # form.instance already carries the new values; compare against the stored row.
                stored = User.objects.get(pk=person.pk)
                person = services.update_user(actor=actor, user=stored, **data)
                if password:
                    person.set_password(password)
                    person.save(update_fields=["password"])
            else:
                person = services.create_user(actor=actor, password=password or None, **data)
            if person.is_staff_role:
                services.set_grants(actor=actor, user=person, units=list(grants))
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu người dùng “%(name)s”.") % {"name": person})
            return redirect("frontend:user-list")
    return render(request, "frontend/users/form.html", {"form": form, "person": person})


@login_required
@require_POST
def user_deactivate(request: Any, pk: int) -> HttpResponse:
    actor = _require_admin(request)
    person = _get_person(request, pk)
    try:
        services.deactivate_user(actor=actor, user=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã khóa tài khoản “%(name)s”.") % {"name": person})
    return redirect("frontend:user-list")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def user_import_template(request: Any) -> HttpResponse:
    """The XLSX to fill: an example row and the rule of every column."""
    actor = _require_admin(request)
    response = HttpResponse(template_xlsx(actor=actor), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-nguoi-dung.xlsx"'
    return response


def _staged_users(request: Any, actor: User) -> HttpResponse | None:
    """Import the file kept at preview time (only the uploader's token works)."""
    try:
        data, _meta = staging.load(request.POST["token"], user=actor, kind="users")
    except staging.StagingExpired:
        messages.error(request, _("Phiên nhập đã hết hạn, vui lòng tải tệp lên lại."))
        return redirect("frontend:user-import")
    result = import_users(ContentFile(data), actor=actor)
    if result.created:
        staging.discard(request.POST["token"], user=actor, kind="users")
        messages.success(request, _("Đã nhập %(n)s người dùng.") % {"n": result.created})
        return redirect("frontend:user-list")
    return None


@login_required
def user_import(request: Any) -> HttpResponse:
    """Upload, preview every row, then commit all or nothing."""
    actor = _require_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "token" in request.POST:
        done = _staged_users(request, actor)
        if done is not None:
            return done
        data, _meta = staging.load(request.POST["token"], user=actor, kind="users")
        context.update(
            result=import_users(ContentFile(data), actor=actor, dry_run=True),
            token=request.POST["token"],
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = import_users(ContentFile(data), actor=actor, dry_run=True)
        context["result"] = result
        if result.ok:
            context["token"] = staging.stage(user=actor, kind="users", data=data)
    return render(request, "frontend/users/import.html", context)


@login_required
def audit_list(request: Any) -> HttpResponse:
    """The audit log of the admin's units: who changed grades, certificates, roles, units."""
    from accounts.models import AuditLog

    _require_admin(request)
    entries = AuditLog.objects.visible_to(request.user).select_related("actor", "unit")
    action = request.GET.get("action", "")
    if action in AuditLog.Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    template = "frontend/users/audit.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"page": page, "action": action, "actions": AuditLog.Action.choices},
    )
