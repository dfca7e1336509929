"""Gap computation for the whole workforce against just reading its rows.

The national dataset (tests/bench/national.py: 7,000 people, the demo's whole
framework, three rating rounds each, about 770,000 ratings), on SQLite and on
PostgreSQL: the gap engine the pages use (learning.assessments.services.gaps_for)
for everyone, against reading the same rows with the same queries, nothing
computed. The reading is timed before and after the computation and the faster
counts, so a busy spell on a shared machine does not flatter the ratio; the
computation is timed once (one pass is several seconds at this size).
"""

import time

import sqlalchemy as sa

from core.db import db
from core.people.models import User
from learning.assessments import services
from learning.competences import services as framework
from learning.competences.models import Competence, Requirement, UserProfile
from tests.bench import goals, national
from tests.bench.serving import SECRET
from wsgi import create_app

GOAL = 2.0


def read_rows() -> int:
    """The baseline: the same queries gaps_for runs, fetched the same way, nothing
    computed."""
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
    # As gaps_for reads them: through the connection, no ORM work per row (the
    # session's execute took longer than the whole gap computation).
    ratings = db.session.connection().execute(services.rating_rows_stmt(None)).all()
    return len(people) + len(links) + len(basic) + len(requirements) + len(ratings)


def timed(fn) -> tuple[float, object]:
    db.session.rollback()
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def run(label: str, url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        read_s, rows = timed(read_rows)
        gaps_s, gaps = timed(lambda: services.gaps_for(None))
        read_again, _ = timed(read_rows)
        read_s = min(read_s, read_again)
        with_gaps = sum(1 for g in gaps.values() if g.total)
        ratio = gaps_s / read_s
        print(f"{label}: read rows        {read_s:.3f} s  ({rows:,} rows)")
        print(
            f"{label}: gap computation  {gaps_s:.3f} s  ({len(gaps):,} people, "
            f"{with_gaps:,} with gaps)"
        )
        print(f"{label}: ratio gap/read   {ratio:.2f}x  (aim: at most {GOAL:g}x)")
        goals.record(
            f"gaps of everyone: at most {GOAL:g}x reading the rows",
            label,
            f"{ratio:.2f}x",
            ratio <= GOAL,
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    national.on_each_database(run)


if __name__ == "__main__":
    main()
