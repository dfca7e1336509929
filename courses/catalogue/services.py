"""Operations on providers and courses; they flush, the caller commits."""

from collections.abc import Iterable
from decimal import Decimal

import sqlalchemy as sa

from core.audit import record
from core.db import db, utcnow
from core.numbers import DAYS, PRICE, NumberError
from core.people.models import User
from courses.catalogue import provider_tokens
from courses.catalogue.errors import CatalogueError
from courses.catalogue.models import (
    Audience,
    Category,
    Course,
    CourseFormat,
    CourseStatus,
    Provider,
    ProviderKind,
    ProviderMember,
)
from courses.catalogue.permissions import provider_ids_of

COURSE_FIELDS = (
    "title",
    "description",
    "category",
    "format",
    "duration_days",
    "audience",
    "price_state",
    "price_municipal",
)


def create_provider(
    actor: User | None,
    *,
    key: str,
    name: str,
    kind: ProviderKind,
    url: str = "",
    description: str = "",
    demo: bool = False,
) -> Provider:
    """Add a course provider."""
    provider = Provider(
        key=key, name=name, kind=kind, url=url, description=description, demo=demo
    )
    db.session.add(provider)
    db.session.flush()
    record(actor, "provider.create", provider, after={"key": key, "name": name})
    return provider


def add_member(actor: User | None, provider: Provider, user: User) -> ProviderMember:
    """Link `user` to `provider` as staff; linking twice is harmless."""
    member = db.session.get(ProviderMember, (provider.id, user.id))
    if member is None:
        member = ProviderMember(provider=provider, user=user)
        db.session.add(member)
        db.session.flush()
        record(actor, "provider.add_member", provider, after={"user_id": user.id})
    return member


def get_or_create_category(key: str, title: str, title_en: str = "") -> Category:
    category = db.session.scalar(sa.select(Category).where(Category.key == key))
    if category is None:
        category = Category(key=key, title=title, title_en=title_en)
        db.session.add(category)
        db.session.flush()
    return category


def _money(value, field: str) -> Decimal:
    try:
        return PRICE.check(value, rounding=True)
    except NumberError as exc:
        raise CatalogueError(f"price_{exc.code}", field) from exc


def _check(values: dict) -> dict:
    title = (values.get("title") or "").strip()
    if not title:
        raise CatalogueError("title_missing", "title")
    values["title"] = title[:300]
    values["description"] = (values.get("description") or "").strip()
    for field in ("price_state", "price_municipal"):
        values[field] = _money(values.get(field) or 0, field)
    days = values.get("duration_days")
    if days is not None:
        try:
            values["duration_days"] = DAYS.check(days, rounding=True)
        except NumberError as exc:
            raise CatalogueError("duration_out_of_range", "duration_days") from exc
    return values


def _snapshot(course: Course) -> dict:
    return {
        "title": course.title,
        "category_id": course.category_id,
        "format": course.format.value,
        "audience": course.audience.value,
        "price_state": str(course.price_state),
        "price_municipal": str(course.price_municipal),
        "prerequisites": sorted(c.id for c in course.prerequisites),
        "archived": course.archived,
        "status": course.status.value,
    }


def _requires(course: Course, other: Course) -> bool:
    """True if `course` already depends on `other`, directly or through others."""
    seen: set[int] = set()
    todo = [course]
    while todo:
        current = todo.pop()
        for required in current.prerequisites:
            if required.id == other.id:
                return True
            if required.id not in seen:
                seen.add(required.id)
                todo.append(required)
    return False


def _set_prerequisites(course: Course, prerequisites: Iterable[Course]) -> None:
    wanted = list({c.id: c for c in prerequisites}.values())
    for required in wanted:
        if course.id is not None and (
            required.id == course.id or _requires(required, course)
        ):
            raise CatalogueError("prerequisite_cycle", "prerequisites")
    course.prerequisites = wanted


def create_course(
    actor: User | None,
    provider: Provider,
    *,
    title: str,
    description: str = "",
    category: Category | None = None,
    format: CourseFormat = CourseFormat.in_person,
    duration_days: Decimal | None = None,
    audience: Audience = Audience.both,
    price_state: Decimal | str | int = 0,
    price_municipal: Decimal | str | int = 0,
    prerequisites: Iterable[Course] = (),
    key: str | None = None,
    demo: bool = False,
    status: CourseStatus = CourseStatus.draft,
) -> Course:
    """Add a course for `provider`: a draft, seen by its staff only, unless
    `status` publishes it at once (demo data, internal learning)."""
    values = _check(
        {
            "title": title,
            "description": description,
            "duration_days": duration_days,
            "price_state": price_state,
            "price_municipal": price_municipal,
        }
    )
    course = Course(
        provider=provider,
        category=category,
        format=format,
        audience=audience,
        key=key,
        demo=demo,
        status=status,
        **values,
    )
    course.refresh_search_text()
    db.session.add(course)
    db.session.flush()
    _set_prerequisites(course, prerequisites)
    db.session.flush()
    record(actor, "course.create", course, after=_snapshot(course))
    return course


def update_course(
    actor: User | None,
    course: Course,
    *,
    prerequisites: Iterable[Course] | None = None,
    **changes,
) -> Course:
    """Change a course's description, audience, prices or prerequisites."""
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown course fields: {sorted(unknown)}")
    before = _snapshot(course)
    current = {field: getattr(course, field) for field in COURSE_FIELDS}
    values = _check({**current, **changes})
    for field, value in values.items():
        setattr(course, field, value)
    if prerequisites is not None:
        _set_prerequisites(course, prerequisites)
    course.refresh_search_text()
    db.session.flush()
    record(actor, "course.update", course, before=before, after=_snapshot(course))
    return course


def publication_problems(course: Course) -> list[CatalogueError]:
    """What keeps a draft out of the catalogue: data people would be misled by.
    The course form refuses most of it; an imported course has what its
    calendar file gave (a title, no price, no audience chosen by anyone)."""
    problems = []
    if not course.title.strip():
        problems.append(CatalogueError("title_missing", "title"))
    if not course.description.strip():
        problems.append(CatalogueError("description_missing", "description"))
    for field in ("price_state", "price_municipal"):
        try:
            PRICE.check(getattr(course, field))
        except NumberError as exc:
            problems.append(CatalogueError(f"price_{exc.code}", field))
    if course.duration_days is not None:
        try:
            DAYS.check(course.duration_days)
        except NumberError:
            problems.append(CatalogueError("duration_out_of_range", "duration_days"))
    if course.archived:
        problems.append(CatalogueError("publish_archived"))
    return problems


def publish_course(actor: User | None, course: Course) -> Course:
    """Put a draft in the catalogue, once nothing in it is impossible."""
    if course.published:
        return course
    problems = publication_problems(course)
    if problems:
        raise CatalogueError(
            "not_publishable",
            reasons=" ".join(str(problem) for problem in problems),
        )
    course.status = CourseStatus.published
    db.session.flush()
    record(
        actor,
        "course.publish",
        course,
        before={"status": CourseStatus.draft.value},
        after={"status": CourseStatus.published.value},
    )
    return course


def archive_course(actor: User | None, course: Course, *, reason: str = "") -> Course:
    """Take a course out of the catalogue; its page and history stay readable."""
    if course.archived_at is None:
        course.archived_at = utcnow()
        db.session.flush()
        record(actor, "course.archive", course, reason=reason.strip())
    return course


def restore_course(actor: User | None, course: Course) -> Course:
    """Put an archived course back in the catalogue."""
    if course.archived_at is not None:
        course.archived_at = None
        db.session.flush()
        record(actor, "course.restore", course)
    return course


def providers_for(user: User) -> sa.Select:
    """The providers whose pages `user` works on: all for admins, else their own."""
    stmt = sa.select(Provider).order_by(Provider.name)
    if not user.is_admin:
        stmt = stmt.where(Provider.id.in_(provider_ids_of(user)))
    return stmt


def courses_of(provider_ids: Iterable[int], *, archived: bool = False):
    """A select of the providers' courses, current or archived, by title."""
    archive_clause = (
        Course.archived_at.is_not(None) if archived else Course.archived_at.is_(None)
    )
    return (
        sa.select(Course)
        .where(Course.provider_id.in_(list(provider_ids)), archive_clause)
        .order_by(Course.title, Course.id)
    )


def update_provider(actor: User | None, provider: Provider, **changes) -> Provider:
    """Change a provider's name, kind, address, description or default capacity."""
    allowed = {"name", "kind", "url", "description", "default_capacity"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown provider fields: {sorted(unknown)}")
    if not (changes.get("name", provider.name) or "").strip():
        raise CatalogueError("name_missing", "name")
    if changes.get("default_capacity", provider.default_capacity) < 0:
        raise CatalogueError("capacity_negative", "default_capacity")
    before = {"name": provider.name, "kind": provider.kind.value}
    for field, value in changes.items():
        setattr(provider, field, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    record(
        actor, "provider.update", provider, before=before, after={"name": provider.name}
    )
    return provider


def check_provider_key(key: str) -> str:
    """A new provider's key: lower-case letters, digits and dashes, not taken."""
    key = (key or "").strip().lower()
    if not key or not all(c.isascii() and (c.isalnum() or c == "-") for c in key):
        raise CatalogueError("key_invalid", "key")
    if db.session.scalar(sa.select(Provider.id).where(Provider.key == key)):
        raise CatalogueError("key_taken", "key")
    return key


def remove_member(actor: User | None, provider: Provider, user: User) -> int:
    """Unlink `user` from `provider`; their past work stays in the audit log.
    Leaving their last provider revokes their provider-scope API tokens; the
    number revoked is returned, so the page can say so."""
    member = db.session.get(ProviderMember, (provider.id, user.id))
    if member is None:
        return 0
    db.session.delete(member)
    db.session.flush()
    record(actor, "provider.remove_member", provider, before={"user_id": user.id})
    return provider_tokens.revoke_on_leaving(actor, user)
