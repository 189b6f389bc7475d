"""Benchmark-only views, mounted by config/urls.py when settings.BENCHMARK is true.

`hello` is the ceiling of `make bench`: the same gunicorn processes and the
same middleware stack as every other request, and no work of its own.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, world", content_type="text/plain")


urlpatterns = [path("hello", hello, name="bench-hello")]
