"""Operations on the framework; they flush, the caller commits."""

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from core.audit import record
from core.db import db
from core.people.models import User
from learning.competences.errors import FrameworkError
from learning.competences.models import (
    PRIORITIES,
    Area,
    Competence,
    CompetenceKind,
    Layer,
    Profile,
    Requirement,
    Scale,
    ScaleLevel,
    UserProfile,
)

DEFAULT_SCALE_NAME = "Kompetenceniveau 0-4"
DEFAULT_LEVELS = (
    (0, "Ingen", "Ingen viden eller erfaring med kompetencen."),
    (1, "Kende", "Kender til emnet og kan genkende det i praksis."),
    (2, "Kunne", "Kan anvende kompetencen i almindelige opgaver med støtte."),
    (3, "Beherske", "Behersker kompetencen selvstændigt, også i komplekse sager."),
    (4, "Ekspert", "Er ekspert og kan lære andre og udvikle praksis."),
)

# Later areas (assessments, matching) register "is this competence used?" here,
# since the framework must not import them: each gives a statement selecting the
# ids of the competences it uses, read as a subquery of the framework's own.
usage_sources: list[Callable[[], sa.Select]] = []
level_checks: list[Callable[[], int]] = []


def texts_of(item: dict) -> dict[str, str]:
    """The title, English title and description of a row in a file or in demo data,
    as save_area, save_competence and save_profile take them."""
    return {
        "title": item["title"],
        "title_en": item.get("title_en", ""),
        "description": item.get("description", ""),
    }


def _save_described(actor, obj, model, key, taken, audit, **values):
    """What saving an area, a competence and a profile share: the key (name, value,
    finder) is unique, else FrameworkError(code, field) from `taken`; a new `model`
    when obj is None; the titles and description stripped and the other `values`
    set; a flush; an audit record (state function, event) from `audit`."""
    name, value, find = key
    value = value.strip()
    other = find(value)
    if other is not None and other is not obj:
        raise FrameworkError(taken[0], field=taken[1], code=value)
    state, event = audit
    before = state(obj) if obj else None
    if obj is None:
        obj = model(**{name: value})
        db.session.add(obj)
    setattr(obj, name, value)
    for text in ("title", "title_en", "description"):
        values[text] = values[text].strip()
    for attribute, new in values.items():
        setattr(obj, attribute, new)
    db.session.flush()
    record(actor, event, obj, before=before, after=state(obj))
    return obj


# --- scale -------------------------------------------------------------------------


def get_scale() -> Scale:
    """The framework's scale, created with the default levels on first use."""
    scale = (
        db.session.scalars(
            sa.select(Scale)
            .options(joinedload(Scale.levels))
            .order_by(Scale.id)
            .limit(1)
        )
        .unique()
        .first()
    )  # the levels in the same query
    if scale is None:
        scale = Scale(name=DEFAULT_SCALE_NAME)
        scale.levels = [
            ScaleLevel(value=v, label=label, description=text)
            for v, label, text in DEFAULT_LEVELS
        ]
        db.session.add(scale)
        db.session.flush()
    return scale


def highest_level_in_use() -> int:
    targets = db.session.scalar(sa.select(sa.func.max(Requirement.target))) or 0
    return max([targets, *(check() for check in level_checks)])


def update_scale(
    actor: User | None, scale: Scale, *, name: str, levels: list[tuple[str, str]]
) -> Scale:
    """Rename the scale and set its levels 0..n as (label, description) pairs."""
    if len(levels) < 2:
        raise FrameworkError("scale_too_short")
    if any(not label.strip() for label, _text in levels):
        raise FrameworkError("level_label_missing")
    in_use = highest_level_in_use()
    if len(levels) - 1 < in_use:
        raise FrameworkError("level_in_use", level=in_use)
    before = _scale_state(scale)
    scale.name = name.strip()
    by_value = {level.value: level for level in scale.levels}
    for value, (label, text) in enumerate(levels):
        level = by_value.pop(value, None) or ScaleLevel(value=value)
        level.label, level.description = label.strip(), text.strip()
        if level not in scale.levels:
            scale.levels.append(level)
    for level in by_value.values():
        scale.levels.remove(level)
    db.session.flush()
    db.session.refresh(scale, ["levels"])
    record(actor, "scale.updated", scale, before=before, after=_scale_state(scale))
    return scale


def _scale_state(scale: Scale) -> dict:
    return {"name": scale.name, "levels": [lv.label for lv in scale.levels]}


# --- areas -------------------------------------------------------------------------


def area_by_code(code: str) -> Area | None:
    return db.session.scalar(sa.select(Area).where(Area.code == code.strip()))


def save_area(
    actor: User | None,
    area: Area | None,
    *,
    code: str,
    title: str,
    title_en: str = "",
    description: str = "",
) -> Area:
    """Create an area (area=None) or change one; codes are unique."""
    return _save_described(
        actor,
        area,
        Area,
        ("code", code, area_by_code),
        ("code_taken", "code"),
        (_area_state, "area.saved"),
        title=title,
        title_en=title_en,
        description=description,
    )


def _area_state(area: Area) -> dict:
    return {"code": area.code, "title": area.title, "title_en": area.title_en}


# --- competences -------------------------------------------------------------------


def competence_by_code(code: str) -> Competence | None:
    return db.session.scalar(
        sa.select(Competence).where(Competence.code == code.strip())
    )


def save_competence(
    actor: User | None,
    competence: Competence | None,
    *,
    code: str,
    title: str,
    kind: CompetenceKind,
    layer: Layer,
    area: Area,
    title_en: str = "",
    description: str = "",
    source: str = "",
) -> Competence:
    """Create a competence (competence=None) or change one; codes are unique."""
    return _save_described(
        actor,
        competence,
        Competence,
        ("code", code, competence_by_code),
        ("code_taken", "code"),
        (_competence_state, "competence.saved"),
        title=title,
        title_en=title_en,
        description=description,
        kind=kind,
        layer=layer,
        area=area,
        source=source.strip(),
    )


def _competence_state(c: Competence) -> dict:
    return {
        "code": c.code,
        "title": c.title,
        "kind": c.kind.value,
        "layer": c.layer.value,
        "area_id": c.area_id,
        "retired": c.retired,
    }


def used_clause() -> sa.ColumnElement[bool]:
    """True for a competence that profiles, ratings or later areas refer to; each
    source is an uncorrelated subquery, read once per statement."""
    return sa.or_(
        Competence.id.in_(sa.select(Requirement.competence_id)),
        *(Competence.id.in_(source()) for source in usage_sources),
    )


def used_competence_ids(ids: Iterable[int]) -> set[int]:
    """Which of these competences profiles, ratings or later areas refer to, in
    one statement."""
    return set(
        db.session.scalars(
            sa.select(Competence.id).where(Competence.id.in_(list(ids)), used_clause())
        )
    )


def requiring_profiles(ids: Iterable[int]) -> dict[int, int]:
    """How many profiles require each of these competences, in one query."""
    rows = db.session.execute(
        sa.select(Requirement.competence_id, sa.func.count())
        .where(Requirement.competence_id.in_(list(ids)))
        .group_by(Requirement.competence_id)
    )
    return {competence_id: count for competence_id, count in rows}


def remove_competence(
    actor: User | None, competence: Competence, *, reason: str = ""
) -> bool:
    """Delete an unused competence; retire one in use. True when deleted."""
    if used_competence_ids([competence.id]):
        set_retired(actor, competence, True, reason=reason)
        return False
    record(
        actor,
        "competence.deleted",
        competence,
        before=_competence_state(competence),
        reason=reason.strip(),
    )
    db.session.delete(competence)
    db.session.flush()
    return True


def set_retired(
    actor: User | None, competence: Competence, retired: bool, *, reason: str = ""
) -> None:
    """Retire a competence (it leaves profiles' gaps; ratings keep it) or reinstate."""
    before = _competence_state(competence)
    competence.retired = retired
    db.session.flush()
    record(
        actor,
        "competence.retired" if retired else "competence.reinstated",
        competence,
        before=before,
        after=_competence_state(competence),
        reason=reason.strip(),
    )


# --- profiles ----------------------------------------------------------------------


def profile_by_key(key: str) -> Profile | None:
    return db.session.scalar(sa.select(Profile).where(Profile.key == key.strip()))


def save_profile(
    actor: User | None,
    profile: Profile | None,
    *,
    key: str,
    title: str,
    title_en: str = "",
    description: str = "",
    basic: bool = False,
) -> Profile:
    """Create a job-function profile (profile=None) or change one; keys are unique."""
    return _save_described(
        actor,
        profile,
        Profile,
        ("key", key, profile_by_key),
        ("key_taken", None),
        (_profile_state, "profile.saved"),
        title=title,
        title_en=title_en,
        description=description,
        basic=basic,
    )


def _profile_state(p: Profile) -> dict:
    return {"key": p.key, "title": p.title, "basic": p.basic}


def set_requirements(
    actor: User | None, profile: Profile, wanted: dict[int, tuple[int, int]]
) -> None:
    """Make the profile require exactly `wanted`: competence -> (target, priority)."""
    top = get_scale().top
    for competence_id, (target, priority) in wanted.items():
        if not 0 <= target <= top:
            raise FrameworkError("target_out_of_scale", competence_id=competence_id)
        if priority not in PRIORITIES:
            raise FrameworkError("priority_out_of_range", competence_id=competence_id)
    before = {r.competence_id: [r.target, r.priority] for r in profile.requirements}
    have = {r.competence_id: r for r in profile.requirements}
    for competence_id, requirement in have.items():
        if competence_id not in wanted:
            profile.requirements.remove(requirement)
    for competence_id, (target, priority) in wanted.items():
        requirement = have.get(competence_id)
        if requirement is None:
            requirement = Requirement(competence_id=competence_id)
            profile.requirements.append(requirement)
        requirement.target, requirement.priority = target, priority
    db.session.flush()
    after = {r.competence_id: [r.target, r.priority] for r in profile.requirements}
    record(
        actor,
        "profile.requirements_set",
        profile,
        before={str(k): v for k, v in before.items()},
        after={str(k): v for k, v in after.items()},
    )


def set_user_profiles(
    actor: User | None, person: User, profiles: list[Profile]
) -> None:
    """Give a person exactly these job functions (the basic profile is implicit)."""
    wanted = {p.id for p in profiles if not p.basic}
    rows = db.session.scalars(
        sa.select(UserProfile).where(UserProfile.user_id == person.id)
    )
    have = {row.profile_id: row for row in rows}
    for profile_id, row in have.items():
        if profile_id not in wanted:
            db.session.delete(row)
    for profile_id in wanted - have.keys():
        db.session.add(UserProfile(user_id=person.id, profile_id=profile_id))
    db.session.flush()
    record(
        actor,
        "user.profiles_set",
        person,
        before={"profiles": sorted(have)},
        after={"profiles": sorted(wanted)},
    )


def basic_profile_ids() -> list[int]:
    return list(
        db.session.scalars(sa.select(Profile.id).where(Profile.basic.is_(True)))
    )


def profile_ids_for(person_ids: Iterable[int] | None) -> dict[int, set[int]]:
    """Each person's profile ids, basic profiles included; None means everyone
    linked to a function (callers add people without one). One query: the links
    and the basic profiles (a row without a person) come in one union."""
    links = sa.select(UserProfile.user_id, UserProfile.profile_id)
    if person_ids is not None:
        person_ids = list(person_ids)
        links = links.where(UserProfile.user_id.in_(person_ids))
    basics = sa.select(sa.cast(sa.null(), sa.Integer), Profile.id).where(
        Profile.basic.is_(True)
    )
    rows = db.session.execute(sa.union_all(links, basics)).all()
    basic = {profile_id for user_id, profile_id in rows if user_id is None}
    result: dict[int, set[int]] = (
        {pid: set(basic) for pid in person_ids} if person_ids is not None else {}
    )
    for user_id, profile_id in rows:
        if user_id is not None:
            result.setdefault(user_id, set(basic)).add(profile_id)
    return result


def profiles_of(person: User) -> list[Profile]:
    """The person's profiles, the basic one(s) first (one query)."""
    linked = sa.select(UserProfile.profile_id).where(UserProfile.user_id == person.id)
    return list(
        db.session.scalars(
            sa.select(Profile)
            .where(sa.or_(Profile.basic.is_(True), Profile.id.in_(linked)))
            .order_by(Profile.basic.desc(), Profile.title)
        )
    )


def all_profiles() -> list[Profile]:
    return list(
        db.session.scalars(
            sa.select(Profile)
            .options(selectinload(Profile.requirements))
            .order_by(Profile.basic.desc(), Profile.title)
        )
    )
