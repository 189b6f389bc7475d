from celery import shared_task

from . import reminders, services


@shared_task(acks_late=True)
def send_deadline_reminders() -> dict[str, int]:
    """Daily: deadline reminders and admin digests (idempotent: see courses.reminders)."""
    run = reminders.send_deadline_reminders()
    return {"learner_reminders": run.learner_reminders, "digests": run.digests}


@shared_task(acks_late=True)
def complete_after_pass(user_id: int, quiz_id: int) -> bool:
    """After a passed quiz grade commits: record the course completion it brings about."""
    return services.complete_after_pass(user_id=user_id, quiz_id=quiz_id) is not None


@shared_task(acks_late=True)
def sweep_completions() -> int:
    """Periodic: passes whose completion task was never published (broker outage)."""
    return services.sweep_completions()
