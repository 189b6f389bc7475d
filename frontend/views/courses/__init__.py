"""Course pages: learner (`learner`), trainer authoring (`authoring`), admin enrolment (`enrolment`)."""

from .learner import dashboard_section

__all__ = ["dashboard_section"]
