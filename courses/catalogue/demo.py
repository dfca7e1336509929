"""Load the demo catalogue (providers, categories, courses, staff) from
demo/catalogue.json; the diplomas in it are loaded by courses.diplomas.demo."""

import json
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from core.people.demo import load_demo_data
from core.people.models import User
from courses.catalogue import services
from courses.catalogue.models import (
    Audience,
    Category,
    Course,
    CourseFormat,
    CourseStatus,
    Provider,
    ProviderKind,
)

DEMO_FILE = Path(__file__).parent / "demo" / "catalogue.json"


def load_catalogue_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def by_key(model) -> dict:
    """The rows of `model` by their key."""
    return {row.key: row for row in db.session.scalars(sa.select(model))}


def _providers(data: dict) -> dict[str, Provider]:
    providers = by_key(Provider)
    for item in data["providers"]:
        if item["key"] not in providers:
            providers[item["key"]] = services.create_provider(
                None,
                key=item["key"],
                name=item["name"],
                kind=ProviderKind(item["kind"]),
                url=item.get("url", ""),
                description=item.get("description", ""),
                demo=item.get("demo", False),
            )
    return providers


def _categories(data: dict) -> dict[str, Category]:
    return {
        item["key"]: services.get_or_create_category(
            item["key"], item["title"], item.get("title_en", "")
        )
        for item in data["categories"]
    }


def _courses(data, providers, categories) -> dict[str, Course]:
    courses = by_key(Course)
    for item in data["courses"]:
        if item["key"] in courses:
            continue
        days = item.get("duration_days")
        courses[item["key"]] = services.create_course(
            None,
            providers[item["provider"]],
            key=item["key"],
            title=item["title"],
            description=item.get("description", ""),
            category=categories.get(item.get("category") or ""),
            format=CourseFormat(item.get("format", "in_person")),
            duration_days=Decimal(str(days)) if days else None,
            audience=Audience(item.get("audience", "both")),
            price_state=Decimal(str(item.get("price_state", 0))),
            price_municipal=Decimal(str(item.get("price_municipal", 0))),
            demo=item.get("demo", False),
            status=CourseStatus.published,
        )
    for item in data["courses"]:
        course = courses[item["key"]]
        wanted = [courses[key] for key in item.get("prerequisites", [])]
        if {c.id for c in course.prerequisites} != {c.id for c in wanted}:
            services.update_course(None, course, prerequisites=wanted)
    return courses


def _staff(providers: dict[str, Provider]) -> None:
    people = [p for p in load_demo_data()["people"] if p.get("provider")]
    users = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_([p["email"].lower() for p in people]))
        )
    }
    for person in people:
        user = users.get(person["email"].lower())
        provider = providers.get(person["provider"])
        if user is not None and provider is not None:
            services.add_member(None, provider, user)


def seed_catalogue() -> None:
    """Create the demo providers, courses and their staff; idempotent."""
    data = load_catalogue_data()
    providers = _providers(data)
    categories = _categories(data)
    _courses(data, providers, categories)
    _staff(providers)
    db.session.flush()
