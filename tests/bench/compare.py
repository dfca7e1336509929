"""`make bench-compare`: each page's figures in the pages benchmark's last run
beside the run before it (bench-results/pages-<database>.json and
.previous.json), with the change in per cent."""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "bench-results"


def compare(latest: Path) -> None:
    previous = latest.with_name(latest.name.replace(".json", ".previous.json"))
    label = latest.stem.removeprefix("pages-")
    if not previous.exists():
        print(f"{label}: one run only ({latest.name}); run make bench again to compare")
        return
    now = json.loads(latest.read_text(encoding="utf-8"))
    before = json.loads(previous.read_text(encoding="utf-8"))
    print(
        f"{label}: {'page':<24} {'req/s before':>12} {'now':>7} {'change':>7}  p99 ms"
    )
    for page, figures in now.items():
        old = before.get(page)
        if old is None:
            print(f"{label}: {page:<24} {'-':>12} {figures['rate']:7.0f}      new")
            continue
        change = figures["rate"] / old["rate"] - 1 if old["rate"] else 0.0
        print(
            f"{label}: {page:<24} {old['rate']:12.0f} {figures['rate']:7.0f} "
            f"{change:+7.0%}  {old['p99']:.1f} -> {figures['p99']:.1f}"
        )


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
