"""Gunicorn settings shared by every figure of `make bench` (ceiling and save alike).

Sync workers by default (bench/run.py: WORKER_CLASS, WORKERS, THREADS): one
request at a time per process, 3 processes per core. On two cores they served the
wave with lower latency than gthread (4 x 4) or gevent: no GIL contention between
a worker's threads, and the kernel, not Python, decides who runs. A sync worker
closes each connection after its reply; in production nginx keeps the clients'
connections alive in front of it (README, capacity guide).
"""

import os

worker_class = os.environ.get("WORKER_CLASS", "sync")
if worker_class == "sync" and os.environ.get("THREADS", "1") == "1":
    # gunicorn's own, closing each connection at once when nothing is left unread
    # (config/gunicorn_worker.py). With threads, "sync" means gthread to gunicorn.
    worker_class = "config.gunicorn_worker.SyncWorker"
backlog = 4096
# gthread and gevent only (a sync worker closes every connection): each learner keeps
# one connection open between saves (N=5000 on 4 workers is 1250 per worker; the
# default of 1000 would leave some unaccepted).
keepalive = 75
worker_connections = 4000
timeout = 60
graceful_timeout = 10
# gunicorn_h1c (a dependency): requests parsed in C, not Python; a worker without it
# refuses to start rather than run slower unnoticed.
http_parser = "fast"
accesslog = None
errorlog = "-"
loglevel = "warning"
# Importing the app once in the master makes workers start in milliseconds; not
# under gevent, whose monkey-patching must come before the app's imports.
preload_app = worker_class != "gevent"
