"""Load the demo diplomas and their modules from the catalogue's demo file."""

from decimal import Decimal

from core.db import db
from courses.catalogue.demo import by_key, load_catalogue_data
from courses.catalogue.models import Course, Provider
from courses.diplomas.models import Diploma, DiplomaModule, ModuleKind


def seed_diplomas() -> None:
    """Create the demo diplomas and their modules; idempotent."""
    data = load_catalogue_data()
    providers = by_key(Provider)
    courses = by_key(Course)
    diplomas = by_key(Diploma)
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
