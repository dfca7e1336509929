"""`make bench-compare`: each page's figures in the pages benchmark's last run
beside the run before it (bench-results/pages-<database>.json and
.previous.json).

The share of the bare endpoint's rate is what the goals are set in and what a
change should be judged by: both runs measured the bare endpoint on the same
machine at the time, so a busier machine moves the requests per second of every
page but much less their share. The requests per second, p99 and queries per
request are shown beside it; a page whose query count changed is marked."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench-results")
BARE = "bare"


def _share(figures: dict, bare: dict) -> float:
    """The page's share of the bare rate (older runs did not store it)."""
    if "share" in figures:
        return figures["share"]
    return figures["rate"] / bare["rate"] if bare.get("rate") else 0.0


def lines(now: dict, before: dict) -> list[str]:
    """One line a page of `now`: share, req/s, p99 and queries, before -> now."""
    out = [
        f"{'page':<24} {'share':>16} {'change':>7} {'req/s':>13} "
        f"{'p99 ms':>15} {'queries':>9}"
    ]
    for page, figures in now.items():
        share = _share(figures, now.get(BARE, {}))
        old = before.get(page)
        if old is None:
            out.append(
                f"{page:<24} {'-':>6} -> {share:6.1%} {'new':>7} "
                f"{'-':>5} -> {figures['rate']:5.0f} "
                f"{'-':>6} -> {figures['p99']:6.1f} {'-':>3} -> {figures['queries']:>2}"
            )
            continue
        was = _share(old, before.get(BARE, {}))
        change = f"{(share - was) * 100:+5.1f}pt" if page != BARE else ""
        queries = f"{old['queries']:>3} -> {figures['queries']:>2}"
        if old["queries"] != figures["queries"]:
            queries += " (changed)"
        out.append(
            f"{page:<24} {was:6.1%} -> {share:6.1%} {change:>7} "
            f"{old['rate']:5.0f} -> {figures['rate']:5.0f} "
            f"{old['p99']:6.1f} -> {figures['p99']:6.1f} {queries}"
        )
    gone = [page for page in before if page not in now]
    if gone:
        out.append(f"no longer measured: {', '.join(gone)}")
    return out


def compare(latest: Path) -> None:
    previous = latest.with_name(latest.name.replace(".json", ".previous.json"))
    label = latest.stem.removeprefix("pages-")
    if not previous.exists():
        print(f"{label}: one run only ({latest.name}); run make bench again to compare")
        return
    now = json.loads(latest.read_text(encoding="utf-8"))
    before = json.loads(previous.read_text(encoding="utf-8"))
    for line in lines(now, before):
        print(f"{label}: {line}")


def main() -> int:
    runs = sorted(p for p in RESULTS.glob("pages-*.json") if ".previous" not in p.name)
    if not runs:
        print("No results yet: make bench writes them to bench-results/.")
        return 1
    for latest in runs:
        compare(latest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
