"""Gunicorn settings shared by every figure of `make bench` (ceiling and save alike).

Threaded workers keep client connections alive (a sync worker closes each one);
workers and threads come from the command line (bench/run.py: WORKERS, THREADS).
"""

worker_class = "gthread"
backlog = 4096
keepalive = 75
timeout = 60
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
# Importing the app once in the master makes workers start in milliseconds.
preload_app = True
