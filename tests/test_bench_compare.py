"""`make bench-compare` (tests/bench/compare.py) prints each page's share of the
bare endpoint before and now, with its requests per second, p99 and queries."""

import json

from tests.bench import compare


def _run(rate: float, bare: float, queries: int, p99: float) -> dict:
    return {
        "bare": {"rate": bare, "p50": 1.0, "p99": 2.0, "queries": 0},
        "Mine tilmeldinger": {
            "rate": rate,
            "p50": 5.0,
            "p99": p99,
            "queries": queries,
        },
    }


def test_the_difference_of_the_last_two_runs_is_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(compare, "RESULTS", tmp_path)
    # A busier machine: every rate halved, yet the page's share rose 10 points.
    before = _run(rate=200, bare=1000, queries=7, p99=40.0)
    now = _run(rate=150, bare=500, queries=5, p99=30.5)
    now["Forslag til dig"] = {"rate": 60, "p50": 9.0, "p99": 20.0, "queries": 6}
    (tmp_path / "pages-sqlite.previous.json").write_text(json.dumps(before))
    (tmp_path / "pages-sqlite.json").write_text(json.dumps(now))

    assert compare.main() == 0
    printed = capsys.readouterr().out.splitlines()

    page = next(line for line in printed if "Mine tilmeldinger" in line)
    assert page.startswith("sqlite: ")
    assert " 20.0% ->  30.0%" in page
    assert "+10.0pt" in page
    assert "200 ->   150" in page
    assert "40.0 ->   30.5" in page
    assert "7 ->  5 (changed)" in page
    new = next(line for line in printed if "Forslag til dig" in line)
    assert "12.0%" in new
    assert "new" in new


def test_one_run_or_none_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(compare, "RESULTS", tmp_path)
    assert compare.main() == 1
    assert "No results yet" in capsys.readouterr().out

    (tmp_path / "pages-postgresql.json").write_text(json.dumps(_run(1, 2, 3, 4)))
    assert compare.main() == 0
    assert "postgresql: one run only" in capsys.readouterr().out
