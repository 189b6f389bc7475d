"""Every page renders when optional relations are empty.

Rows written by tasks and commands have no actor; a learner may not be placed in
a unit yet; an essay waits for a grader; a certificate is revoked by the system.
Each page of the access matrix must render those rows, never answer 500.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditLog
from accounts.services import create_user
from courses.certificates import services as certificate_services

from .urls_table import PAGE_ARGS, PAGES, ROLES

pytestmark = pytest.mark.django_db


def _add_rows_without_optional_relations(world) -> None:  # type: ignore[no-untyped-def]
    cast = world.cast
    for unit in (cast.unit_a, cast.unit_b, None):
        AuditLog.objects.create(
            actor=None, action=AuditLog.Action.GRADE_CHANGED, unit=unit, target="tác vụ nền"
        )
    create_user(actor=None, username="chua-xep", full_name="Chưa xếp đơn vị", unit=None)
    certificate_services.revoke(
        actor=None, certificate=world.certificate_b, reason="Hệ thống thu hồi", check=False
    )


def test_no_page_fails_on_rows_whose_optional_relations_are_empty(world):
    _add_rows_without_optional_relations(world)
    failures = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(getattr(world.cast, role))
        for name in PAGES:
            if name == "accounts:logout":
                continue
            url = reverse(name, kwargs=PAGE_ARGS[name](world))
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"GET {url} ({name}) as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_audit_entries_without_an_actor_name_the_system(world):
    _add_rows_without_optional_relations(world)
    client = Client()
    client.force_login(world.cast.admin)
    page = client.get(reverse("frontend:audit-list")).content.decode()
    assert "Hệ thống" in page and "tác vụ nền" in page
