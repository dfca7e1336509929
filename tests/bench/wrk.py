"""Load from Debian's `wrk`, in a process of its own (a Python client thread is
slower than the server and would flatter every ratio)."""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    non_2xx: int  # answers that were not 2xx (a refused login is a 401 or 429)


def available() -> bool:
    return shutil.which("wrk") is not None


def start(
    url: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    post: str | None = None,
) -> subprocess.Popen:
    """Begin loading `url` (GET, or POST of the form body `post`); read() ends it."""
    command = [
        "wrk",
        "-t",
        str(min(connections, 2)),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if post is not None:
        body = post.replace("\\", "\\\\").replace('"', '\\"')
        with tempfile.NamedTemporaryFile(
            "w", suffix=".lua", delete=False, encoding="utf-8"
        ) as script:
            script.write(
                'wrk.method = "POST"\n'
                f'wrk.body = "{body}"\n'
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            )
        command += ["-s", script.name]
    return subprocess.Popen(command + [url], stdout=subprocess.PIPE, text=True)


def read(running: subprocess.Popen) -> Load:
    out, _ = running.communicate(timeout=120)
    if running.returncode:
        raise RuntimeError(f"wrk failed: {out}")
    rate = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
    non_2xx = next(
        (line for line in out.splitlines() if "Non-2xx" in line), "Non-2xx: 0"
    )
    return Load(float(rate.split(":")[1]), int(non_2xx.split(":")[1]))


def run(url: str, **options) -> Load:
    return read(start(url, **options))
