from django.dispatch import Signal

# Sent inside the transaction that records a completion, with
# `enrollment=` and `completion=`. Certificates listens and enqueues its
# work with transaction.on_commit.
course_completed = Signal()  # kwargs: enrollment, completion
