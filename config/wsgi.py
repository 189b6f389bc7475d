"""The WSGI application (`gunicorn config.wsgi`).

Everything the app imports is loaded here, before gunicorn forks its workers
(`preload_app`), and then set aside from the garbage collector: a full
collection would otherwise walk those ~150,000 objects in every worker, and
workers that allocate at the same pace reach one together. In the exam wave
that paused all six for 0.2-0.8 s at the same moment (bench/RESULTS.md).
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # every view, now rather than in each worker's first request

from quizzes.api.fastsave import FastSaveApplication  # noqa: E402 (after Django's setup)

# The answer save, most of the exam wave's requests, without Django's request cycle.
application = FastSaveApplication(django_application)
gc.freeze()
