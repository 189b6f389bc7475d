import pytest

from accounts.models import AuditLog, Unit, User
from accounts.services import create_unit, deactivate_user, move_user

pytestmark = pytest.mark.django_db


def test_subtree_is_one_query_at_any_depth(cast, django_assert_num_queries):
    deep = cast.cell_a1
    for level in range(6):
        deep = create_unit(
            actor=cast.superuser,
            name=f"Tổ {level}",
            code=f"T{level}",
            kind=Unit.Kind.CELL,
            parent=deep,
        )
    with django_assert_num_queries(1):
        codes = set(cast.unit_a.subtree().values_list("code", flat=True))
    assert codes == {"A", "A1", "T0", "T1", "T2", "T3", "T4", "T5"}


def test_trainer_sees_only_units_under_their_grants(cast):
    assert set(Unit.objects.visible_to(cast.trainer_a).values_list("code", flat=True)) == {
        "A",
        "A1",
    }
    assert set(Unit.objects.visible_to(cast.trainer_b).values_list("code", flat=True)) == {
        "B",
        "B1",
    }
    assert Unit.objects.visible_to(cast.admin).count() == 5
    assert list(Unit.objects.visible_to(cast.learner)) == [cast.cell_a1]


def test_trainer_sees_only_learners_of_their_subtree(cast):
    visible = set(User.objects.visible_to(cast.trainer_a).values_list("username", flat=True))
    assert {"learner", "other", "trainer_a"} <= visible
    assert "learner_b" not in visible and "trainer_b" not in visible


def test_learner_sees_only_themself(cast):
    assert list(User.objects.visible_to(cast.learner)) == [cast.learner]


def test_moved_learner_leaves_old_trainers_scope_at_once(cast):
    move_user(actor=cast.admin, user=cast.learner, unit=cast.cell_b1)
    fresh_a = User.objects.get(pk=cast.trainer_a.pk)
    fresh_b = User.objects.get(pk=cast.trainer_b.pk)
    assert not User.objects.visible_to(fresh_a).filter(pk=cast.learner.pk).exists()
    assert User.objects.visible_to(fresh_b).filter(pk=cast.learner.pk).exists()
    entry = AuditLog.objects.get(action=AuditLog.Action.USER_MOVED)
    assert entry.actor == cast.admin and entry.data["to"] == "Chi bộ B1"


def test_trainer_cannot_move_learner_into_other_units_subtree(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        move_user(actor=cast.trainer_a, user=cast.learner, unit=cast.cell_b1)
    cast.learner.refresh_from_db()
    assert cast.learner.unit == cast.cell_a1


def test_deactivation_is_audited_and_keeps_the_row(cast):
    deactivate_user(actor=cast.admin, user=cast.learner)
    cast.learner.refresh_from_db()
    assert cast.learner.is_active is False
    assert AuditLog.objects.filter(action=AuditLog.Action.USER_DEACTIVATED).count() == 1


def test_audit_log_is_append_only(cast):
    from django.core.exceptions import ValidationError

    entry = AuditLog.objects.first()
    assert entry is not None
    entry.reason = "sửa lén"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_names_are_stored_nfc(cast):
    import unicodedata

    from accounts.services import create_user

    decomposed = unicodedata.normalize("NFD", "Đặng Quốc Việt")
    user = create_user(actor=cast.admin, username="nfd", full_name=decomposed, unit=cast.cell_a1)
    user.refresh_from_db()
    assert user.full_name == unicodedata.normalize("NFC", "Đặng Quốc Việt")
