"""Demo offers, dated from the day the demo is loaded: job shadowing with the
København key person for ethnic minorities, and a peer session in the demo
employee's own team."""

from datetime import time

import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.demo import load_demo_data
from core.people.models import User
from courses.catalogue.models import Course
from courses.sessions.demo import first_day, meeting_days
from courses.sessions.services import MeetingInput
from learning.competences.models import Competence
from learning.internal import services
from learning.internal.models import OfferKind

OFFERS = (
    {
        "key": "intern-demo-foelordning-etn",
        "host": "keyperson",
        "kind": OfferKind.job_shadowing,
        "title": "Følordning: to dage med nøglepersonen for etniske minoriteter",
        "description": (
            "Følg nøglepersonen i samtaler med borgere med anden etnisk baggrund "
            "og i kontakten til virksomheder om integration."
        ),
        "location": "Jobcenter København, Integrationsteam",
        "capacity": 2,
        "competences": {"ETN-V-04": 3, "ETN-V-08": 3, "ETN-H-02": 3},
        "month_offset": 1,
        "weekday": "tue",
        "days": 2,
        "hours": (time(9, 0), time(15, 0)),
    },
    {
        "key": "intern-demo-sparring-virk",
        "host": "birgitte-lund",
        "kind": OfferKind.peer_session,
        "title": "Kollegial sparring: det gode virksomhedsbesøg",
        "description": (
            "Vi gennemgår egne virksomhedsbesøg og øver behovsafdækning sammen."
        ),
        "location": "Jobcenter København, mødelokale 3",
        "capacity": 6,
        "competences": {"VIRK-H-04": 3, "VIRK-V-06": 3},
        "month_offset": 1,
        "weekday": "thu",
        "days": 1,
        "hours": (time(13, 0), time(15, 0)),
    },
)


def seed_internal() -> None:
    """The demo offers that are missing; a second run changes nothing."""
    try:
        people = {p["key"]: p["email"].lower() for p in load_demo_data()["people"]}
    except FileNotFoundError:
        return
    have = set(
        db.session.scalars(
            sa.select(Course.key).where(Course.key.in_([o["key"] for o in OFFERS]))
        )
    )
    codes = {
        code: cid
        for code, cid in db.session.execute(sa.select(Competence.code, Competence.id))
    }
    today = clock.today()
    for item in OFFERS:
        host = db.session.scalar(
            sa.select(User).where(User.email == people.get(item["host"], ""))
        )
        wanted = {codes.get(c): level for c, level in item["competences"].items()}
        if item["key"] in have or host is None or None in wanted:
            continue
        start, end = item["hours"]
        first = first_day(today, item["month_offset"], item["weekday"])
        services.create_offer(
            host,
            kind=item["kind"],
            title=item["title"],
            description=item["description"],
            location=item["location"],
            days=[
                MeetingInput(day, start, end, item["location"])
                for day in meeting_days(first, item["days"])
            ],
            capacity=item["capacity"],
            competences=wanted,
            demo=True,
            key=item["key"],
        )
    db.session.flush()
