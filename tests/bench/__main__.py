"""Run every benchmark: `python -m tests.bench [name ...]` (make bench runs them all).

Each tests/bench/bench_<topic>.py has a main() that prints absolute figures and a
ratio to a baseline measured in the same run, so a noisy shared machine does not
decide the result, and records each of issue 19's goals it measures
(tests/bench/goals.py).

The national dataset is seeded (or its kept SQLite file copied) once, first,
and shared (tests/bench/national.py). Each benchmark then runs in a process of
its own, stopped at HARD times its time budget, so one that hangs cannot take
the run with it. At the end: the time each took against its budget and its
share of the whole; the whole against 20 minutes, counted from the time make
bench wrote to bench-results/started before it installed anything; and one
table of every goal marked met or MISSED with its figure, also written to
bench-results/summary.json.
"""

import json
import os
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime

from tests.bench import goals, national

# In this order (those reading the national dataset first, before the pages'
# booking POST adds its bookings), each with its budget in seconds: what it
# takes on this 2-core machine when quiet, with a margin.
BENCHMARKS = {
    "gaps": 60,
    "matching": 60,
    "reports": 45,
    "pages": 420,
    "feeds": 60,
    "ical": 45,
    "login_flood": 90,
    "plans": 45,
    "purchase": 60,
}
# Seeding both engines: 34 + 43 s at load 3-8, 56 + 50 s at load 8-11; the
# SQLite file is kept, so later runs seed PostgreSQL only.
NATIONAL_BUDGET = 120
NATIONAL = {"gaps", "matching", "reports", "pages"}  # the benchmarks that read it
TOTAL = 20 * 60  # issue 19: make bench in under 20 minutes
HARD = 3


def _one(name: str) -> int:
    """In the benchmark's own process."""
    try:
        __import__(f"tests.bench.bench_{name}", fromlist=["main"]).main()
    except Exception:
        traceback.print_exc()
        return 1
    return 0


def _run(name: str, budget: float, goals_file) -> tuple[float, str]:
    print(f"\n== bench_{name} (budget {budget:.0f} s) ==", flush=True)
    env = os.environ | {"BENCH_GOALS": str(goals_file)}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.bench", "--one", name],
            env=env,
            timeout=HARD * budget,
        )
        outcome = "ok" if done.returncode == 0 else "FAILED"
    except subprocess.TimeoutExpired:
        outcome = f"STOPPED at {HARD * budget:.0f} s"
    took = time.perf_counter() - started
    print(f"(bench_{name} took {took:.1f} s: {outcome})", flush=True)
    return took, outcome


def _started() -> float:
    """When make bench began (the marker its first step writes, taken once),
    else now."""
    marker = national.RESULTS / "started"
    given = marker.read_text().strip() if marker.exists() else ""
    marker.unlink(missing_ok=True)
    return float(given) if given else time.time()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        return _one(argv[1])
    began = _started()
    names = [n for n in BENCHMARKS if not argv or any(a in n for a in argv)]
    national.RESULTS.mkdir(exist_ok=True)
    goals_file = national.RESULTS / "goals.jsonl"
    goals_file.unlink(missing_ok=True)
    load = os.getloadavg()
    print(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    times = []
    if NATIONAL & set(names):
        started = time.perf_counter()
        national.prepare()
        took = time.perf_counter() - started
        times.append(("national dataset", took, NATIONAL_BUDGET))
    outcomes = {}
    for name in names:
        took, outcomes[name] = _run(name, BENCHMARKS[name], goals_file)
        times.append((f"bench_{name}", took, BENCHMARKS[name]))
    whole = time.time() - began
    found = goals.read(goals_file)
    for name, outcome in outcomes.items():
        if outcome != "ok":
            found.append(
                {"goal": f"bench_{name} ran", "engine": "", "met": False}
                | {"figure": outcome}
            )
    if not argv:
        found.append(
            {
                "goal": f"make bench under {TOTAL // 60} minutes",
                "engine": "",
                "figure": f"{whole / 60:.1f} min",
                "met": whole < TOTAL,
            }
        )
    _times(times, whole, complete=not argv)
    _summary(found)
    _write(found, times, whole, load)
    return 0 if all(o == "ok" for o in outcomes.values()) else 1


def _times(times, whole: float, *, complete: bool) -> None:
    measured = sum(took for _n, took, _b in times)
    print("\n== time ==")
    print(f"{'part':<20} {'took':>7} {'budget':>7} {'share':>6}")
    for name, took, budget in times:
        mark = "" if took <= budget else "  OVER BUDGET"
        print(f"{name:<20} {took:6.0f}s {budget:6.0f}s {took / measured:6.0%}{mark}")
    within = sum(b for _n, _t, b in times)
    print(f"{'benchmarks':<20} {measured:6.0f}s {within:6.0f}s")
    if not complete:  # some benchmarks only: the 20 minutes are for all
        print(f"whole run {whole:.0f} s", flush=True)
        return
    print(
        f"whole run {whole:.0f} s ({whole / 60:.1f} min, since make bench began) "
        f"of {TOTAL} s: {'met' if whole < TOTAL else 'MISSED'}",
        flush=True,
    )


def _summary(found: list[dict]) -> None:
    print("\n== issue 19's goals ==")
    width = max((len(g["goal"]) for g in found), default=10)
    for g in found:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[g["met"]]
        print(f"{g['goal']:<{width}}  {g['engine']:<10}  {g['figure']:>16}  {verdict}")
    met = sum(1 for g in found if g["met"])
    missed = sum(1 for g in found if g["met"] is False)
    print(f"goals met {met}, MISSED {missed}", flush=True)


def _write(found: list[dict], times, whole: float, load) -> None:
    path = national.RESULTS / "summary.json"
    summary = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": {"start": list(load), "end": list(os.getloadavg())},
        "scale": national.SCALE,
        "seconds": round(whole, 1),
        "times": [
            {"part": n, "seconds": round(t, 1), "budget": b} for n, t, b in times
        ],
        "goals": found,
    }
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")
    end = os.getloadavg()
    print(f"load average at the end: {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}")
    print(f"written to {path}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
