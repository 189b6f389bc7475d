"""Gunicorn settings shared by every figure of `make bench` (ceiling and save alike).

Threaded workers keep client connections alive (a sync worker closes each one);
workers and threads come from the command line (bench/run.py: WORKERS, THREADS).
"""

import os

worker_class = os.environ.get("WORKER_CLASS", "gthread")
backlog = 4096
keepalive = 75
# Each learner keeps one connection open between saves (N=5000 on 4 workers
# is 1250 per worker; gthread's default of 1000 would leave some unaccepted).
worker_connections = 4000
timeout = 60
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
# Importing the app once in the master makes workers start in milliseconds.
# gevent patches the standard library when its worker starts: Django must be
# imported after that, in each worker.
preload_app = worker_class != "gevent"
