"""Trainer and admin report pages: gradebook, roll-up, item analysis, monitor, exports.

Every page is for trainers and admins; every object outside the viewer's
scope is a 404 (courses.reports.access).
"""

from .pages import index, review_queue

__all__ = ["index", "review_queue"]
