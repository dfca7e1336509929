"""Load the demo catalogue (providers, courses, diplomas) from demo/catalogue.json."""

import json
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from core.people.demo_loader import load_demo_data
from core.people.models import User
from courses.catalogue import services
from courses.catalogue.models import (
    Audience,
    Category,
    Course,
    CourseFormat,
    Provider,
    ProviderKind,
)
from courses.diplomas.models import Diploma, DiplomaModule, ModuleKind

DEMO_FILE = Path(__file__).parent / "demo" / "catalogue.json"


def load_catalogue_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def _by_key(model) -> dict:
    return {row.key: row for row in db.session.scalars(sa.select(model))}


def _providers(data: dict) -> dict[str, Provider]:
    providers = _by_key(Provider)
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
    courses = _by_key(Course)
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
        )
    for item in data["courses"]:
        course = courses[item["key"]]
        wanted = [courses[key] for key in item.get("prerequisites", [])]
        if {c.id for c in course.prerequisites} != {c.id for c in wanted}:
            services.update_course(None, course, prerequisites=wanted)
    return courses


def _diplomas(data, providers, courses) -> None:
    diplomas = _by_key(Diploma)
    for item in data.get("diplomas", []):
        diploma = diplomas.get(item["key"])
        if diploma is None:
            diploma = Diploma(
                key=item["key"],
                title=item["title"],
                description=item.get("description", ""),
                provider=providers.get(item.get("provider") or ""),
                total_ects=Decimal(str(item.get("total_ects", 60))),
                completion_years=item.get("completion_years", 6),
                demo=item.get("demo", False),
            )
            db.session.add(diploma)
            db.session.flush()
        have = {m.course_id for m in diploma.modules}
        for position, module in enumerate(item["modules"]):
            course = courses[module["course"]]
            if course.id in have:
                continue
            diploma.modules.append(
                DiplomaModule(
                    course=course,
                    code=module.get("code", ""),
                    ects=Decimal(str(module["ects"])),
                    kind=ModuleKind(module.get("kind", "elective")),
                    position=position,
                    demo=module.get("demo", False),
                )
            )
    db.session.flush()


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
    """Create the demo providers, courses and diplomas; idempotent."""
    data = load_catalogue_data()
    providers = _providers(data)
    categories = _categories(data)
    courses = _courses(data, providers, categories)
    _diplomas(data, providers, courses)
    _staff(providers)
    db.session.flush()
