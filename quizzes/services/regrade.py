"""Correcting a question's key and regrading every attempt that used it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditLog, User
from accounts.services import record

from ..models import Attempt, AttemptSlot, QuestionVersion
from ..validation import check_question
from .bank import check_bank_access
from .grades import recompute_attempt, refresh_grade

logger = logging.getLogger(__name__)


@transaction.atomic
def fix_key(
    *, actor: User, version: QuestionVersion, data: dict[str, Any], reason: str
) -> QuestionVersion:
    """Correct the key of a version in place (the one exception to immutability)
    and queue the regrade of every finished attempt that used it."""
    from ..tasks import regrade_version_task

    if not reason.strip():
        raise ValidationError(_("Cần nêu lý do sửa đáp án."))
    version = (
        QuestionVersion.objects.select_for_update()
        .select_related("question__category")
        .get(pk=version.pk)
    )
    check_bank_access(actor, version.question.category)
    old_ids, new_data = (
        version.choice_ids(),
        check_question(version.type, version.text, data, version.points),
    )
    version.data = new_data
    if version.choice_ids() != old_ids:
        raise ValidationError(
            _("Khi sửa đáp án không được thêm, bớt hay đổi mã phương án; hãy tạo phiên bản mới.")
        )
    version.save(update_fields=["data"])
    record(
        actor=actor,
        action=AuditLog.Action.GRADE_CHANGED,
        unit=version.question.category.owner_unit,  # so the bank's unit admin can read it
        target=version,
        data={"version": version.pk, "key_fixed": True},
        reason=reason,
    )

    def enqueue() -> None:
        try:
            regrade_version_task.delay(version.pk, actor.pk, reason)
        except Exception:  # broker down: the key is fixed, so regrade here rather than lose it
            logger.exception("regrade could not be queued; running it in-process")
            regrade_version(version_id=version.pk, actor=actor, reason=reason)

    transaction.on_commit(enqueue)
    return version


def regrade_version(*, version_id: int, actor: User | None, reason: str) -> list[dict[str, Any]]:
    """Regrade every finished attempt holding `version_id`; report the changes.

    A mark a grader set by hand stays as they set it: their reason may be the
    very thing the key fix is about, or something it knows nothing of, so it is
    not for the key to overrule. It is not kept silently either: where the
    fixed key would now give something else, the report and the audit entry
    list it (`kept_overrides`), and the grading page shows both marks, so the
    grader can give the question back to the key in one step.

    One transaction per attempt so a long regrade never holds many locks.
    Idempotent: running it twice changes nothing the second time.
    """
    report: list[dict[str, Any]] = []
    attempt_ids = list(
        AttemptSlot.objects.filter(version_id=version_id, attempt__state=Attempt.State.FINISHED)
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    for attempt_id in attempt_ids:
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update(of=("self",))
                .select_related("quiz", "user__unit")
                .get(pk=attempt_id)
            )
            slots = list(attempt.slots.select_related("version"))
            old_percent, old_score = attempt.percent, attempt.score
            changed, kept = [], []
            for slot in slots:
                if slot.version_id != version_id:
                    continue
                new = slot.automatic_points()
                if slot.graded_by_id:
                    if new is not None and new != slot.score:
                        kept.append(
                            {
                                "slot": slot.pk,
                                "points": str(slot.score),
                                "automatic_points": str(new),
                            }
                        )
                    continue
                if new != slot.score:
                    changed.append(slot)
                    slot.score = new
            if not changed and not kept:
                continue
            if changed:
                AttemptSlot.objects.bulk_update(changed, ["score"])
                recompute_attempt(attempt, slots)
                attempt.save(
                    update_fields=["score", "max_score", "percent", "passed", "needs_grading"]
                )
            entry: dict[str, Any] = {
                "attempt": attempt.pk,
                "user": attempt.user.username,
                "old_score": str(old_score),
                "new_score": str(attempt.score),
                "old_percent": str(old_percent),
                "new_percent": str(attempt.percent),
            }
            if kept:
                entry["kept_overrides"] = kept
            record(
                actor=actor,
                action=AuditLog.Action.GRADE_CHANGED,
                unit=attempt.user.unit,
                target=attempt,
                data={**entry, "regrade_version": version_id},
                reason=reason,
            )
            if changed and not attempt.needs_grading:
                refresh_grade(user_id=attempt.user_id, quiz=attempt.quiz)
            report.append(entry)
    return report
