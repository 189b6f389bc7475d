from django.dispatch import Signal

# Sent after commit-bound writes put a learner into a unit (created, moved
# or imported). Courses listens to enrol them in what their unit is assigned.
learner_placed = Signal()  # kwargs: user, unit
