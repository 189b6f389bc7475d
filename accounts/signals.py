from django.dispatch import Signal

# Sent after commit-bound writes put a learner into a unit (created, moved
# or imported). Courses listens to enrol them in what their unit is assigned.
learner_placed = Signal()  # kwargs: user, unit

# Sent on commit when a person's appointment date changes: relative
# deadlines ("N days after appointment") are computed from it.
appointment_changed = Signal()  # kwargs: user
