from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def send_deadline_reminders() -> dict[str, int]:
    """Daily: deadline reminders and admin digests (idempotent: see courses.reminders)."""
    run = reminders.send_deadline_reminders()
    return {"learner_reminders": run.learner_reminders, "digests": run.digests}
