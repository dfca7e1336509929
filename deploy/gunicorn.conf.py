"""Gunicorn in production (README "Drift"): `gunicorn -c deploy/gunicorn.conf.py`.

Every setting can be changed from the environment without editing this file,
so one file serves every machine. The tests' servers (tests/gunicorn.py) start
from this file too, so what runs in production is what the tests ran.
"""

import gc
import multiprocessing
import os

wsgi_app = "wsgi:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One request at a time per worker (gunicorn's sync worker), with more workers
# than cores so a core has work while a worker waits on the database; nginx in
# front buffers slow clients, which a sync worker could not wait for. Issue 19:
# with 4 threads a worker (gthread) ran its requests side by side, each waiting
# for the others' turn at the GIL, and 4-8 of the bench's 18 pages had a p99
# over 4x their p50 on SQLite at the same rate (0 with sync workers). The app
# holds no state in the process, so any number of workers and machines work.
# GUNICORN_THREADS above 1 makes gunicorn use threaded workers again.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The purchase plan may search for PURCHASE_PLAN_SECONDS (10 s by default) and a
# large export takes a few seconds more; nothing else comes close.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5  # threaded workers only; a sync worker closes each connection
# A worker is replaced now and then, so a slow leak never grows for long. Each
# replacement builds the app anew (about 1.4 s of CPU), so the interval is long:
# at 5,000 a busy worker serving 1,500 small requests a second was rebuilt every
# few seconds, and spent a third of its time starting (and its clients waited up
# to 1.9 s at the 99th percentile; wrk on the bench's bare endpoint). At 50,000
# the rebuild costs under 0.03 ms a request.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# nginx in front buffers slow clients and sends X-Forwarded-*; the app believes
# them through its PROXIES setting, gunicorn only from this address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def post_worker_init(worker) -> None:
    """Once the worker has built the app, its objects (the app, the templates'
    code, SQLAlchemy's mappers: ~214,000 tracked by the garbage collector) go to
    the permanent generation, which the collector never walks again.

    Issue 19: under wrk, each worker ran a full collection of them every few
    thousand requests, and one took 0.5-2.1 s at load 11-15 on two cores (gc
    callbacks in post_fork, /bench/floor on the scale-0.1 national dataset): a
    page's p99 was such a pause. Frozen, the run's full collections walked only
    what came after the freeze (under 2 ms). What it can miss: nothing; frozen
    objects are never freed, and the app's are kept for the worker's life
    anyway (max_requests replaces the worker now and then).
    """
    gc.freeze()
