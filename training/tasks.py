from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_session_reminders() -> int:
    """Hourly: remind registered learners of sessions starting within a day (once each)."""
    return services.send_day_before_reminders()
