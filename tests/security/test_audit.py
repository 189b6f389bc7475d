"""The audit log: every grade change, override, revocation, role and unit change
is recorded with who and when, never rewritten, and read by admins in their scope."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from accounts import services as account_services
from accounts.models import AuditLog, User
from courses.certificates import services as certificate_services
from quizzes.services import grade_slot, override_grade

pytestmark = pytest.mark.django_db
Action = AuditLog.Action


def entries(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).select_related("actor"))


def test_hand_grading_and_overrides_are_recorded_with_who_and_why(world):
    trainer = world.cast.trainer_a
    grade_slot(actor=trainer, slot=world.essay_slot(), points=Decimal(1), comment="Tốt")
    override_grade(
        actor=trainer,
        learner=world.cast.learner,
        quiz=world.quiz,
        percent=Decimal(90),
        reason="Phúc khảo",
    )
    changes = entries(Action.GRADE_CHANGED)
    assert len(changes) == 2
    assert {e.actor for e in changes} == {trainer}
    assert all(e.created_at and e.unit == world.cast.cell_a1 for e in changes)
    assert "Phúc khảo" in {e.reason for e in changes}


def test_certificate_revocation_is_recorded(world):
    certificate_services.revoke(
        actor=world.cast.admin, certificate=world.certificate, reason="Cấp nhầm"
    )
    (entry,) = entries(Action.CERTIFICATE_REVOKED)
    assert entry.actor == world.cast.admin and entry.reason == "Cấp nhầm"


def test_role_and_unit_changes_are_recorded(cast):
    account_services.update_user(actor=cast.admin, user=cast.learner, role=User.Role.TRAINER)
    account_services.move_user(actor=cast.admin, user=cast.other_learner, unit=cast.cell_b1)
    account_services.update_unit(actor=cast.admin, unit=cast.cell_a1, name="Chi bộ A1 mới")
    assert entries(Action.ROLE_CHANGED)[0].actor == cast.admin
    assert entries(Action.USER_MOVED)[0].actor == cast.admin
    assert entries(Action.UNIT_CHANGED)[0].actor == cast.admin


def test_entries_cannot_be_edited_or_deleted_through_the_orm(cast):
    entry = account_services.record(actor=cast.admin, action=Action.GRADE_CHANGED, target="x")
    entry.reason = "sửa lén"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditLog.objects.filter(pk=entry.pk).update(reason="sửa lén")
    with pytest.raises(ValidationError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).reason == ""


@pytest.mark.postgres
def test_postgresql_refuses_to_rewrite_or_delete_entries_even_in_raw_sql(cast):
    from django.db import DatabaseError

    entry = account_services.record(actor=cast.admin, action=Action.GRADE_CHANGED, target="x")
    for sql in (
        "UPDATE accounts_auditlog SET reason = 'sửa lén' WHERE id = %s",
        "DELETE FROM accounts_auditlog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry.pk])
    assert AuditLog.objects.filter(pk=entry.pk, reason="").exists()


@pytest.mark.postgres
def test_deleting_the_actor_keeps_the_entry(cast):
    entry = account_services.record(actor=cast.trainer_b, action=Action.GRADE_CHANGED, target="x")
    cast.trainer_b.delete()
    entry = AuditLog.objects.get(pk=entry.pk)
    assert entry.actor is None and entry.target == "x"


def test_admins_read_the_log_of_their_units_only(cast, api, login):
    account_services.record(
        actor=cast.admin, action=Action.GRADE_CHANGED, unit=cast.cell_a1, target="trong A"
    )
    account_services.record(
        actor=cast.admin, action=Action.GRADE_CHANGED, unit=cast.cell_b1, target="trong B"
    )
    b_admin = account_services.create_user(
        actor=cast.superuser,
        username="admin_b",
        full_name="Hoàng Văn Bình",
        unit=cast.unit_b,
        role=User.Role.ADMIN,
        email="admin_b@example.org",
        password="Mat-khau-an-toan-2026",
    )
    targets = {
        e["target"] for e in api(b_admin).get("/api/audit/?action=grade_changed").json()["results"]
    }
    assert targets == {"trong B"}
    page = login(b_admin).get(reverse("frontend:audit-list")).content.decode()
    assert "trong B" in page and "trong A" not in page
    everything = {
        e["target"]
        for e in api(cast.admin)
        .get("/api/audit/?action=grade_changed&page_size=500")
        .json()["results"]
    }
    assert {"trong A", "trong B"} <= everything


@pytest.mark.parametrize("who", ["learner", "trainer_a"])
def test_learners_and_trainers_cannot_read_the_log(cast, api, login, who):
    user = getattr(cast, who)
    assert api(user).get("/api/audit/").status_code == 403
    assert login(user).get(reverse("frontend:audit-list")).status_code == 403


def test_the_log_api_is_read_only(cast, api):
    client = api(cast.superuser)
    entry = account_services.record(actor=cast.admin, action=Action.GRADE_CHANGED, target="x")
    assert client.post("/api/audit/", {"target": "y"}).status_code == 405
    assert client.patch(f"/api/audit/{entry.pk}/", {"reason": "y"}).status_code == 405
    assert client.delete(f"/api/audit/{entry.pk}/").status_code == 405


def test_key_fixes_are_visible_to_the_admin_of_the_banks_unit(world, api):
    from quizzes.services import fix_key

    version = world.single.versions.latest("number")
    data = {**version.data}
    data["choices"] = [{**c, "fraction": 1 - c["fraction"]} for c in data["choices"]]
    fix_key(actor=world.cast.trainer_a, version=version, data=data, reason="Đáp án sai")
    entries = api(world.cast.admin).get("/api/audit/?action=grade_changed").json()["results"]
    assert any(e["data"].get("key_fixed") for e in entries)
