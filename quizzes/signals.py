"""Signals other apps listen to.

`quiz_grade_changed(sender=QuizGrade, grade=...)` is sent inside the
transaction that graded, regraded or overrode a grade, so what listeners
write or enqueue on commit (course completion, certificate revocation)
commits or rolls back together with the grade.
"""

from django.dispatch import Signal

quiz_grade_changed = Signal()
