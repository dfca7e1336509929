"""Gunicorn in production (README "Drift"): `gunicorn -c deploy/gunicorn.conf.py`.

Every setting can be changed from the environment without editing this file,
so one file serves every machine. The tests' servers (tests/gunicorn.py) start
from this file too, so what runs in production is what the tests ran.
"""

import multiprocessing
import os

wsgi_app = "wsgi:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads keep a worker busy while another request waits on the database; the
# app holds no state in the process, so any number of workers and machines work.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The purchase plan may search for PURCHASE_PLAN_SECONDS (10 s by default) and a
# large export takes a few seconds more; nothing else comes close.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
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
