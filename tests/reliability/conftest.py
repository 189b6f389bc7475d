import pytest

from tests.security import world as world_module


@pytest.fixture
def world(cast, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    world_module.configure(settings, tmp_path, monkeypatch)
    return world_module.build(cast, django_capture_on_commit_callbacks)
