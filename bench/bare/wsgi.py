"""WSGI entry of the bare ceiling (`gunicorn bench.bare.wsgi`); see settings.py."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
