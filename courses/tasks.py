from celery import shared_task

from . import reminders, services


@shared_task(acks_late=True)
def send_deadline_reminders() -> dict[str, int]:
    """Daily: deadline reminders and admin digests (idempotent: see courses.reminders)."""
    run = reminders.send_deadline_reminders()
    return {"learner_reminders": run.learner_reminders, "digests": run.digests}


@shared_task(acks_late=True)
def complete_passes() -> int:
    """After passed quiz grades commit: record the course completions they bring about."""
    return services.complete_passes()


@shared_task(acks_late=True)
def sweep_completions() -> int:
    """Periodic: passes whose completion task was never published (broker outage)."""
    return services.sweep_completions()
