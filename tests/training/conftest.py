"""Fixtures of the training tests: the course factory of the courses tests."""

from tests.courses.conftest import make_course  # noqa: F401
