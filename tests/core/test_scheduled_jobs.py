"""Every scheduled job the product has is in the README's table of scheduled jobs,
in its cron lines (README "Drift") and in a systemd service that a timer in
deploy/systemd starts; and every job those name exists. A new command is either
one of the one-off tools below or a job that must be scheduled everywhere."""

import re
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"
# Commands a person runs by hand, never on a schedule.
ONE_OFF = {"create-user", "seed-demo", "seed-scale", "backup", "restore"}
ONE_OFF_GROUPS = {"db", "openapi"}  # Flask-Migrate's and the API document's
CRON_LINE = re.compile(r"([0-9*/,-]+ +){5}cd /srv/kompetence && \.venv/bin/flask ")


def _commands(group: click.Group, prefix: str = "") -> set[str]:
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            if name not in ONE_OFF_GROUPS:
                found |= _commands(command, f"{prefix}{name} ")
        elif f"{prefix}{name}" not in ONE_OFF:
            found.add(f"{prefix}{name}")
    return found


@pytest.fixture
def jobs(app) -> set[str]:
    found = _commands(app.cli)
    assert {"courses expire-offers", "learning purge", "prune-sign-ins"} <= found
    return found


def _flask_calls(text: str) -> set[str]:
    return {
        " ".join(words.split())
        for words in re.findall(r"\bflask ((?:[a-z][a-z-]*[ ]?){1,2})", text)
    }


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_and_cron_runs_every_job(jobs):
    readme = _readme()
    table = readme.split("## Scheduled jobs", 1)[1].split("\n#", 1)[0]
    listed = set(re.findall(r"^\| `flask ([a-z -]+)` \|", table, re.MULTILINE))
    drift = readme.split("## Drift", 1)[1].split("\n## ", 1)[0]
    cron = drift.split("```cron", 1)[1].split("```", 1)[0]
    in_cron = _flask_calls(cron)

    assert listed == jobs
    assert in_cron == jobs
    for line in cron.strip().splitlines():
        assert CRON_LINE.match(line.strip()), line


def test_systemd_timers_run_every_job_and_only_real_ones(jobs):
    services = {}
    for timer in sorted(SYSTEMD.glob("*.timer")):
        service = timer.with_suffix(".service")
        assert service.exists(), f"{timer.name} starts no {service.name}"
        lines = service.read_text(encoding="utf-8").splitlines()
        starts = [line for line in lines if line.startswith("ExecStart=")]
        services[service.name] = _flask_calls("\n".join(starts))

    scheduled = set().union(*services.values())
    assert scheduled == jobs, services
