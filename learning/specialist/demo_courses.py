"""The specialist areas' courses in the demo: the catalogue's courses of the
specialist functions linked to their areas, and the seminars and network
meetings of seed 002's projects in which a specialist function takes part.

Seed 002 (the advisory function of Beskæftigelsesregion Hovedstaden &
Sjælland, 2009) lists the region's projects and says the work towards many
jobcentres is mostly "seminarer, netværksmøder, kampagner" and that "de tre
specialfunktioner" can join as a "specialistteam" where a task has "en stærk
etnisk-, handicappet- eller ligestillingsdimension". It names no such meeting,
so each one here is written for the demo and marked demo: its title, which
project it belongs to, which function joins and where. EURES is not one of the
three, so seed 002 gives it none. Dates follow the catalogue's demo rule (the
first working weekday of a month counted from the product's today; never a
holiday), so they are never literal. Idempotent: a course whose key is there
already, or a link that exists, is left alone."""

from datetime import time
from decimal import Decimal

import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.demo import load_demo_data
from core.people.models import OrgUnit, SpecialistArea, UnitKind
from core.people.specialists import SpecialistFunction
from courses.catalogue import services as catalogue
from courses.catalogue.demo import by_key
from courses.catalogue.models import Category, Course, CourseStatus, Provider
from courses.sessions import services as sessions
from courses.sessions.demo import first_day, meeting_days
from courses.sessions.services import MeetingInput
from learning.specialist.models import AreaCourse

A = SpecialistArea
REGION = "hovedstaden-sjaelland"  # seed 002's region
ADVISORY = "region-hovedstaden-sjaelland"  # its advisory function, a provider
CATEGORY = "specialist-areas"
START, END = (9, 0), (15, 30)

# The catalogue's courses of the specialist functions (providers sebi, sjh,
# ligestilling, eures): each provider is one area's function. Only SEBI is the
# function of one region (Hovedstaden og Sjælland, REFERENCE.md 3.2); the
# others' courses belong to the whole area.
REGIONAL_PROVIDERS = {"sebi"}
PROVIDER_AREAS = {
    "sebi": A.ethnic_minorities,
    "sjh": A.disability,
    "ligestilling": A.gender_equality,
    "eures": A.eures,
}

# (key, seed 002 project, title, description, area, month offset, weekday,
# place, capacity)
MEETINGS = (
    (
        "reg-sebi-matchmodel",
        "Den nye matchmodel",
        "Seminar: den nye matchmodel og borgere med anden etnisk baggrund",
        "Demo: seminar i regionens rådgivning om den nye matchmodel (seed 002), "
        "hvor SEBI deltager som specialistteam: matchvurdering, når sprog og "
        "medbragte kompetencer spiller ind.",
        A.ethnic_minorities,
        2,
        "wed",
        "København",
        60,
    ),
    (
        "reg-sjh-aht",
        "Aktive – Hurtigere tilbage",
        "Netværksmøde: sygedagpenge og handicap – erfaringer fra Aktive – "
        "Hurtigere tilbage",
        "Demo: netværksmøde i udbredelsen af erfaringerne fra »Aktive – Hurtigere "
        "tilbage« (seed 002), hvor specialfunktionen på handicapområdet deltager "
        "som specialistteam: fastholdelse og kompenserende ordninger.",
        A.disability,
        3,
        "tue",
        "Roskilde",
        40,
    ),
    (
        "reg-lige-hig2",
        "Hurtigt i gang 2",
        "Seminar: tidlig indsats med et ligestillingsperspektiv – Hurtigt i gang 2",
        "Demo: seminar i udbredelsen af de gode erfaringer fra »Hurtigt i gang 2« "
        "(seed 002), hvor specialfunktionen for ligestilling deltager som "
        "specialistteam: kvinders og mænds forskellige veje til job.",
        A.gender_equality,
        4,
        "thu",
        "København",
        60,
    ),
    (
        "reg-sebi-virksomhedscentre",
        "Virksomhedscenterkampagnen",
        "Netværksmøde: virksomhedscentre og praktik for borgere med anden etnisk "
        "baggrund",
        "Demo: netværksmøde i virksomhedscenterkampagnen (seed 002), hvor SEBI "
        "deltager som specialistteam: virksomhedsrettede tilbud og mentorer.",
        A.ethnic_minorities,
        5,
        "tue",
        "Hvidovre",
        40,
    ),
)


def _functions() -> dict[SpecialistArea, SpecialistFunction]:
    """Each area's function in seed 002's region."""
    name = next(r["name"] for r in load_demo_data()["regions"] if r["key"] == REGION)
    return {
        f.area: f
        for f in db.session.scalars(
            sa.select(SpecialistFunction)
            .join(OrgUnit, OrgUnit.id == SpecialistFunction.region_id)
            .where(OrgUnit.kind == UnitKind.region, OrgUnit.name == name)
        )
    }


def _meeting_course(provider: Provider, category, row: tuple) -> Course:
    key, _project, title, description, *_rest = row
    return catalogue.create_course(
        None,
        provider,
        key=key,
        title=title,
        description=description,
        category=category,
        duration_days=Decimal(1),
        price_state=0,
        price_municipal=0,
        demo=True,
        status=CourseStatus.published,
    )


def _session(course: Course, month_offset: int, weekday: str, place: str, seats):
    day = meeting_days(first_day(clock.today(), month_offset, weekday), 1)[0]
    sessions.create_session(
        None,
        course,
        meetings=[
            MeetingInput(day=day, start=time(*START), end=time(*END), place=place)
        ],
        capacity=seats,
        location=place,
    )


def _link(area: SpecialistArea, course: Course, function) -> None:
    if db.session.get(AreaCourse, (area, course.id)) is None:
        db.session.add(AreaCourse(area=area, course=course, function=function))


def seed_area_courses() -> None:
    """Link the specialist functions' courses to their areas and add seed 002's
    seminars and network meetings with their sessions; idempotent."""
    providers = by_key(Provider)
    if ADVISORY not in providers:
        return  # no catalogue demo loaded
    functions = _functions()
    courses = by_key(Course)
    for course in courses.values():
        provider_key = course.provider.key if course.provider else None
        area = PROVIDER_AREAS.get(provider_key)
        if area is not None and course.archived_at is None:
            regional = provider_key in REGIONAL_PROVIDERS
            _link(area, course, functions.get(area) if regional else None)
    for row in MEETINGS:
        key, area = row[0], row[4]
        course = courses.get(key)
        if course is None:
            category = by_key(Category).get(CATEGORY)
            course = _meeting_course(providers[ADVISORY], category, row)
            _session(course, *row[5:])
        _link(area, course, functions.get(area))
    db.session.flush()
