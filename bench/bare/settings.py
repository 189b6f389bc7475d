"""The bare ceiling of `make bench` (issue 20): Django with nothing of the project.

No installed apps, no middleware, no database, no templates, no i18n: one URL and
one view that returns a constant. Served by its own gunicorn with the same
settings as the project's (bench/gunicorn.conf.py, same worker count and class)
and measured with the same wrk flags in the same alternating rounds, it is what
one Django request costs on the machine at all; `bare_ratio` = save / this.

This module is its own URLconf (ROOT_URLCONF below).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

SECRET_KEY = "bench-bare-ceiling-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
TEMPLATES: list = []
USE_I18N = False
USE_TZ = True
ROOT_URLCONF = __name__
LOGGING_CONFIG = None


def hello(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b"Hello, world", content_type="text/plain")
    # What the project's CommonMiddleware adds: the same bytes on the wire for wrk.
    response["Content-Length"] = "12"
    return response


urlpatterns = [path("hello", hello)]
