"""Real gunicorn servers for tests that need several processes on one database:
started on free loopback ports, waited for, stopped, and their logs checked for
tracebacks (an exception inside a worker is a failure, even if hidden)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(
    database_url: str, port: int, log, workers: int, threads: int
) -> subprocess.Popen:
    """A server from the production configuration file (deploy/gunicorn.conf.py),
    its settings given through the environment as README "Drift" describes."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="gunicorn-test-secret-key-that-is-long-enough",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_THREADS=str(threads),
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def _stop(server: subprocess.Popen) -> None:
    """Wait for a server told to stop. gunicorn lets requests finish for up to its
    graceful_timeout (30 s in deploy/gunicorn.conf.py), which a loaded machine
    may need; past that it is killed, so no server outlives its test (a running
    one would fail the next test with a ResourceWarning)."""
    try:
        server.wait(timeout=45)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def serving(
    database_url: str,
    logs_in: Path,
    *,
    servers: int = 1,
    workers: int = 1,
    threads: int = 4,
) -> Iterator[list[str]]:
    """`servers` gunicorn servers of `workers` workers each; yields their base URLs.
    The logs are kept in `logs_in` and must hold no traceback afterwards.

    Four threads a worker by default, which production can choose too
    (GUNICORN_THREADS): requests then race each other inside one worker as well
    as between workers and servers, the harder case for the bookings and
    sign-ins these servers are tested with. `threads=1` is production's default,
    the sync worker."""
    ports = [free_port() for _ in range(servers)]
    logs = [logs_in / f"gunicorn-{port}.log" for port in ports]
    handles = [log.open("wb") for log in logs]
    started = [
        _start(database_url, port, handle, workers, threads)
        for port, handle in zip(ports, handles, strict=True)
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base, server, log in zip(bases, started, logs, strict=True):
            _wait_until_up(base, server, log)
        yield bases
    finally:
        for server in started:
            server.terminate()
        for server, handle in zip(started, handles, strict=True):
            _stop(server)
            handle.close()
    for log in logs:
        assert "Traceback" not in log.read_text(), log.read_text()
