"""The app as the benchmarks serve it: the production app plus a bare endpoint
and an empty signed-in page, under gunicorn from deploy/gunicorn.conf.py."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask, render_template
from flask_login import login_required
from jinja2 import ChoiceLoader, DictLoader

from wsgi import create_app

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-secret-key-that-is-long-enough-for-gunicorn"
USER_AGENT = "bench"
# One sync worker a core: with PostgreSQL on the same two cores, 5 workers (the
# production default, 2 x cores + 1) ran 5-10% fewer requests a second and put
# the bare endpoint's p99 at 7 ms against 1.7 ms (wrk -c 4, 5 December 2026).
# BENCH_WORKERS sets another number.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# The least any signed-in page costs: the shared layout around a heading.
FLOOR_TEMPLATE = (
    '{% extends "base.html" %}{% block title %}Bench{% endblock %}'
    "{% block content %}<h1>Bench</h1>{% endblock %}"
)


def bench_app() -> Flask:
    """The production app plus /bench/bare and /bench/floor, for the benchmarks
    only; gunicorn builds it in each worker. BENCH_FEED_STATE_SECONDS sets how
    long a worker trusts the feed state it read (the 304 goal is without it)."""
    app = create_app()
    if "BENCH_FEED_STATE_SECONDS" in os.environ:
        lifetime = int(os.environ["BENCH_FEED_STATE_SECONDS"])
        app.config["CALENDAR_FEED_STATE_SECONDS"] = lifetime
    app.jinja_loader = ChoiceLoader(
        [DictLoader({"bench/floor.html": FLOOR_TEMPLATE}), app.jinja_loader]
    )
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    app.add_url_rule(
        "/bench/floor",
        "bench_floor",
        login_required(lambda: render_template("bench/floor.html")),
    )
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, cookie: str | None = None, timeout: float = 10) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def serve(url: str, port: int, log: Path | None = None) -> subprocess.Popen:
    """gunicorn with the production configuration, WORKERS workers, on loopback; returns
    once the bare endpoint answers (at most 120 s: a loaded machine builds the
    app slowly). `log`: a file for the server's own output (the login flood's
    thousands of refused sign-ins), else it goes to the run's."""
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "gunicorn", "-c"]
    command += [str(ROOT / "deploy" / "gunicorn.conf.py")]
    output = log.open("w", encoding="utf-8") if log else None
    server = subprocess.Popen(
        command + ["tests.bench.serving:bench_app()"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/bench/bare") == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    server.wait(timeout=30)
    raise RuntimeError("gunicorn did not start")


def workers_cpu(server: subprocess.Popen) -> float:
    """CPU seconds gunicorn's workers have used so far (Linux's /proc). Per
    request, it is the server's own cost, which a loaded shared machine moves
    far less than it moves req/s (issue 19: the same page read 25% and 89% of
    bare by rate in two runs at load 9-14, 43-55% by CPU).

    A worker replaced during a load (max_requests) leaves with its CPU: the
    arbiter's count of its ended children (cutime, cstime) takes it over, so
    the total never goes back (one run read -151,343 us a request without)."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        workers = children.read_text().split()
        total = sum(sum(_ticks(pid)[:2]) for pid in workers)
        total += sum(_ticks(server.pid)[2:])
    except OSError:
        return float("nan")
    return total / os.sysconf("SC_CLK_TCK")


def _ticks(pid) -> tuple[int, int, int, int]:
    """utime, stime, cutime, cstime of `pid` in clock ticks (proc(5))."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return tuple(int(field) for field in fields[11:15])


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)
