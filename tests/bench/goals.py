"""The issue's goals as each benchmark measured them, for the table at the end
of `make bench` (tests/bench/__main__.py) and bench-results/summary.json.

A benchmark runs in a process of its own; it appends one JSON line a goal to
the file BENCH_GOALS names (set by the runner), and the runner reads them."""

import json
import os
from pathlib import Path


def record(goal: str, engine: str, figure: str, met: bool | None) -> None:
    """One goal: what it asks ('share of bare >= 40%: catalogue'), on which
    engine ('' when none), the figure measured with its unit, and whether it
    was met (None: no figure, the benchmark could not measure it)."""
    target = os.environ.get("BENCH_GOALS")
    if not target:
        return
    row = {"goal": goal, "engine": engine, "figure": figure, "met": met}
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def read(path) -> list[dict]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]
