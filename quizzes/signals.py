"""Signals other apps listen to.

`quiz_grade_changed(sender=QuizGrade, grade=...)` is sent inside the
transaction that graded, regraded or overrode a grade, so listeners (course
completion) commit or roll back together with the grade.
"""

from django.dispatch import Signal

quiz_grade_changed = Signal()
