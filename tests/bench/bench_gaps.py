"""Gap computation for the whole workforce against just reading its rows.

7,000 people x 60 competences x 3 rating rounds (1.26 million ratings) in a SQLite
file; the gap engine the pages use (learning.assessments.services.gaps_for) is timed
against reading the same rows with the same queries in the same run: the gap
computation once, between two readings (the faster is the baseline), so make
bench stays short (each pass takes 10-25 s at this size).
"""

import random
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from core.people.models import User
from learning.assessments import services
from learning.assessments.models import Rating
from learning.competences import services as framework
from learning.competences.models import Competence, Requirement, UserProfile
from tests.bench import workforce
from tests.bench.workforce import COMPETENCES, PEOPLE, TEAM_SIZE
from wsgi import create_app

JOBCENTRES = PEOPLE // TEAM_SIZE // 10
REPEATS = 1


def build(rng: random.Random) -> None:
    """The organisation, the framework, links and 1.26M ratings (workforce.py)."""
    workforce.build(db.session.connection(), rng, jobcentres=JOBCENTRES)


def read_rows() -> int:
    """The baseline: the same queries gaps_for runs, rows fetched, nothing computed."""
    people = db.session.scalars(sa.select(User.id).where(User.active.is_(True))).all()
    links = db.session.execute(
        sa.select(UserProfile.user_id, UserProfile.profile_id)
    ).all()
    basic = framework.basic_profile_ids()
    requirements = db.session.execute(
        sa.select(
            Requirement.profile_id,
            Requirement.competence_id,
            Requirement.target,
            Requirement.priority,
            Competence.layer,
        )
        .join(Competence)
        .where(Competence.retired.is_(False))
    ).all()
    ratings = db.session.execute(services.rating_rows_stmt(None)).all()
    return len(people) + len(links) + len(basic) + len(requirements) + len(ratings)


def read_raw() -> int:
    """A second reference: every column of every rating, straight from the driver."""
    cursor = db.session.connection().exec_driver_sql("SELECT * FROM ratings")
    return len(cursor.fetchall())


def best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        db.session.rollback()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench_gaps.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            build(random.Random(7000))
            db.session.commit()
            built = time.perf_counter() - started
            ratings = db.session.scalar(sa.select(sa.func.count(Rating.id)))
            print(
                f"built {PEOPLE:,} people, {COMPETENCES} competences, "
                f"{ratings:,} ratings in {built:.1f} s"
            )
            read_s, rows = best_of(read_rows)
            raw_s, raw_rows = best_of(read_raw)
            gaps_s, gaps = best_of(lambda: services.gaps_for(None))
            read_again, _ = best_of(read_rows)
            read_s = min(read_s, read_again)
            with_gaps = sum(1 for g in gaps.values() if g.total)
            print(f"read rows:       {read_s:.3f} s  ({rows:,} rows, same queries)")
            print(
                f"read raw table:  {raw_s:.3f} s  ({raw_rows:,} ratings, all columns)"
            )
            print(
                f"gap computation: {gaps_s:.3f} s  ({len(gaps):,} people, "
                f"{with_gaps:,} with gaps)"
            )
            print(f"ratio gap/read:  {gaps_s / read_s:.2f}x  (aim: at most 2x)")
            print(f"ratio gap/raw:   {gaps_s / raw_s:.2f}x")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
