"""Walk every URL and API operation of the site as each member of the cast."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from .urls_table import API, API_BODIES, PAGE_ARGS, PAGES, ROLES, api_url


def url_names(patterns: Any = None, namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, namespaced name) of every URL pattern, recursively."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            for route, name in url_names(p.url_patterns, ns):
                yield str(p.pattern) + route, name
        elif isinstance(p, URLPattern):
            yield str(p.pattern), f"{namespace}{p.name}" if p.name else f"<unnamed {p.pattern}>"


@cache
def schema_operations() -> dict[str, str]:
    """'METHOD /path' -> URL name, for every operation of the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ops = {}
    for path, item in schema["paths"].items():
        concrete = path
        for part in ("{id}", "{pk}", "{slot}", "{item_id}"):
            concrete = concrete.replace(part, "1")
        concrete = concrete.replace("{code}", "ABC")
        name = resolve(concrete).url_name or ""
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                ops[f"{method.upper()} {path}"] = name
    return ops


def client_for(world: Any, role: str, api: bool = False) -> Any:
    client = APIClient() if api else Client()
    if role != "anonymous":
        user = getattr(world.cast, role)
        if api:
            client.force_authenticate(user)
        else:
            client.force_login(user)
    return client


def outcome(response: Any) -> str:
    location = response.get("Location", "") if response.status_code == 302 else ""
    return "L" if "/accounts/login/" in location else str(response.status_code)


def rolled_back(send: Any, *args: Any, **kwargs: Any) -> Any:
    """Send a write and undo whatever it did: each probe sees the same world."""
    with transaction.atomic():
        response = send(*args, **kwargs)
        transaction.set_rollback(True)
    return response


def page_responses(world: Any, method: str = "get") -> Iterator[tuple[str, str, str, Any]]:
    """(role, url name, url, response) for every page and role."""
    for role in ROLES:
        client = client_for(world, role)
        for name in PAGES:
            url = reverse(name, kwargs=PAGE_ARGS[name](world))
            if (
                name == "accounts:logout" and method == "post"
            ):  # keep the role's session for the next pages
                client = client_for(world, role)
                response = client.post(url)
                client = client_for(world, role)
            elif method == "get":
                response = client.get(url)
            else:
                response = rolled_back(client.post, url, {})
            yield role, name, url, response


def api_responses(world: Any, writes: bool = True) -> Iterator[tuple[str, str, str, Any]]:
    """(role, 'METHOD /path', url, response) for every operation and role."""
    for role in ROLES:
        client = client_for(world, role, api=True)
        for op in API:
            method, path = op.split(" ", 1)
            url = api_url(world, path)
            if method == "GET":
                response = client.get(url)
            elif writes:
                send = getattr(client, method.lower())
                response = rolled_back(send, url, API_BODIES.get(op, {}), format="json")
            else:
                continue
            yield role, op, url, response
