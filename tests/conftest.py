"""The shared cast: a small organisation tree and one person per role.

    BLOC (admin)
    ├── A  (trainer_a)
    │   └── A1: learner, other_learner
    └── B  (trainer_b)
        └── B1: learner_b

Everything is built through the project's own services.
"""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Unit, User
from accounts.services import create_unit, create_user
from config.celery import app as celery_app

PASSWORD = "Mat-khau-an-toan-2026"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "worker" in item.keywords and not settings.REDIS_URL:
            item.add_marker(
                pytest.mark.skip(reason="needs Redis and a Celery worker (set REDIS_URL)")
            )


def _one_request_at_a_time(create_server: Callable[..., Any]) -> Callable[..., Any]:
    """The live server on in-memory SQLite: its request threads share the test's
    one connection, so two requests at once would interleave their transactions
    (a save answered "stored", then gone with the other request's). Serve one
    request at a time there, as a real SQLite file with its own connection per
    thread would; on PostgreSQL each thread has its own connection anyway."""

    def create(self: Any, connections_override: Any = None) -> Any:
        server = create_server(self, connections_override=connections_override)
        if connections_override:
            lock = threading.Lock()
            set_app = server.set_app

            def set_locked_app(app: Any) -> None:
                def locked(environ: Any, start_response: Any) -> Any:
                    with lock:
                        return app(environ, start_response)

                set_app(locked)

            server.set_app = set_locked_app
        return server

    return create


def pytest_configure(config: pytest.Config) -> None:
    from django.test.testcases import LiveServerThread

    LiveServerThread._create_server = _one_request_at_a_time(  # type: ignore[method-assign]
        LiveServerThread._create_server
    )


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tasks run in-process unless the test is about a real worker."""
    eager = "worker" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache_and_lockouts() -> Iterator[None]:
    from django.core.cache import cache

    from config.fastauth import near
    from quizzes.services.answers import forget_local_specs
    from quizzes.services.start import forget_draw_sources

    cache.clear()
    near.forget()
    forget_local_specs()
    forget_draw_sources()
    yield


@dataclass
class Cast:
    bloc: Unit
    unit_a: Unit
    cell_a1: Unit
    unit_b: Unit
    cell_b1: Unit
    superuser: User
    admin: User
    trainer_a: User
    trainer_b: User
    learner: User
    other_learner: User
    learner_b: User


@pytest.fixture
def cast(db: None) -> Cast:
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD, full_name="Quản Trị")
    bloc = create_unit(
        actor=root, name="Đảng bộ Khối", code="BLOC", kind=Unit.Kind.BLOC, parent=None
    )
    unit_a = create_unit(
        actor=root, name="Đảng bộ A", code="A", kind=Unit.Kind.GRASSROOTS, parent=bloc
    )
    cell_a1 = create_unit(
        actor=root, name="Chi bộ A1", code="A1", kind=Unit.Kind.CELL, parent=unit_a
    )
    unit_b = create_unit(
        actor=root, name="Đảng bộ B", code="B", kind=Unit.Kind.GRASSROOTS, parent=bloc
    )
    cell_b1 = create_unit(
        actor=root, name="Chi bộ B1", code="B1", kind=Unit.Kind.CELL, parent=unit_b
    )

    def person(username: str, name: str, unit: Unit, role: str = User.Role.LEARNER) -> User:
        return create_user(
            actor=root,
            username=username,
            full_name=name,
            unit=unit,
            role=role,
            email=f"{username}@example.org",
            password=PASSWORD,
        )

    return Cast(
        bloc=bloc,
        unit_a=unit_a,
        cell_a1=cell_a1,
        unit_b=unit_b,
        cell_b1=cell_b1,
        superuser=root,
        admin=person("admin", "Trần Văn Quản", bloc, User.Role.ADMIN),
        trainer_a=person("trainer_a", "Lê Thị Hà", unit_a, User.Role.TRAINER),
        trainer_b=person("trainer_b", "Phạm Minh Đức", unit_b, User.Role.TRAINER),
        learner=person("learner", "Nguyễn Thị Hồng Nhung", cell_a1),
        other_learner=person("other", "Đặng Quốc Việt", cell_a1),
        learner_b=person("learner_b", "Bùi Thị Ế", cell_b1),
    )


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """login(user) -> a Django test client logged in as that user."""

    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    """api(user) -> a DRF client authenticated as that user (None: anonymous)."""

    def _api(user: User | None) -> APIClient:
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return _api
