"""Import a framework file: check it against the database, preview, apply in one go;
and the export of the framework as the same plain data."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from core.db import db
from core.people.models import User
from learning.competences import services
from learning.competences.formats import FileFormatError, FrameworkData, Problem
from learning.competences.models import Area, Competence, Profile, Requirement

KINDS = ("level", "area", "competence", "profile", "requirement")


@dataclass
class Change:
    kind: str
    code: str
    title: str
    action: str  # new | changed | unchanged


@dataclass
class ImportPlan:
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: str, action: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    def summary(self) -> list[tuple[str, int, int, int]]:
        return [
            (
                k,
                self.count(k, "new"),
                self.count(k, "changed"),
                self.count(k, "unchanged"),
            )
            for k in KINDS
        ]

    @property
    def shown(self) -> list[Change]:
        return [c for c in self.changes if c.action != "unchanged"]


def _existing():
    areas = {a.code: a for a in db.session.scalars(sa.select(Area))}
    competences = {
        c.code: c
        for c in db.session.scalars(
            sa.select(Competence).options(joinedload(Competence.area))
        )
    }
    profiles = {
        p.key: p
        for p in db.session.scalars(
            sa.select(Profile).options(
                selectinload(Profile.requirements).joinedload(Requirement.competence)
            )
        )
    }
    return areas, competences, profiles


def check(data: FrameworkData) -> list[Problem]:
    """Problems that need the database: references, the scale, levels in use."""
    areas, competences, profiles = _existing()
    problems = []
    area_codes = set(areas) | {a["code"] for a in data.areas}
    competence_codes = set(competences) | {c["code"] for c in data.competences}
    profile_keys = set(profiles) | {p["key"] for p in data.profiles}
    for c in data.competences:
        if c["area"] and c["area"] not in area_codes:
            problems.append(Problem(c["row"], "area", "unknown_reference", c["area"]))
    top = services.get_scale().top
    if data.levels:
        values = sorted(lv["value"] for lv in data.levels)
        if values != list(range(len(values))) or len(values) < 2:
            problems.append(
                Problem(data.levels[0]["row"], "code", "levels_not_contiguous")
            )
        top = max(values)
        in_use = services.highest_level_in_use()
        if top < in_use:
            problems.append(
                Problem(data.levels[-1]["row"], "code", "level_in_use", in_use)
            )
    for r in data.requirements:
        if r["profile"] not in profile_keys:
            problems.append(
                Problem(r["row"], "profile", "unknown_reference", r["profile"])
            )
        if r["competence"] not in competence_codes:
            problems.append(
                Problem(r["row"], "code", "unknown_reference", r["competence"])
            )
        if r["target"] > top:
            problems.append(Problem(r["row"], "target", "out_of_range", r["target"]))
    return problems


def plan(data: FrameworkData) -> ImportPlan:
    """What applying the file would do, item by item; raises FileFormatError."""
    problems = check(data)
    if problems:
        raise FileFormatError(problems)
    areas, competences, profiles = _existing()
    result = ImportPlan()
    scale = services.get_scale()
    old_levels = {lv.value: (lv.label, lv.description) for lv in scale.levels}
    for lv in data.levels:
        old = old_levels.get(lv["value"])
        result.changes.append(
            Change(
                "level",
                str(lv["value"]),
                lv["label"],
                _action(old, (lv["label"], lv["description"])),
            )
        )
    for a in data.areas:
        result.changes.append(_change("area", "code", a, areas.get(a["code"])))
    for c in data.competences:
        old = competences.get(c["code"])
        result.changes.append(
            _change(
                "competence",
                "code",
                c,
                old,
                kind=old and old.kind,
                layer=old and old.layer,
                area=old and old.area.code,
                source=old and old.source,
            )
        )
    for p in data.profiles:
        old = profiles.get(p["key"])
        result.changes.append(
            _change("profile", "key", p, old, basic=old and old.basic)
        )
    for r in data.requirements:
        old = next(
            (
                q
                for q in getattr(profiles.get(r["profile"]), "requirements", [])
                if q.competence.code == r["competence"]
            ),
            None,
        )
        result.changes.append(
            Change(
                "requirement",
                f"{r['profile']}: {r['competence']}",
                "",
                _action(
                    old and (old.target, old.priority), (r["target"], r["priority"])
                ),
            )
        )
    return result


def _change(what: str, key: str, row: dict, old, **more) -> Change:
    """The plan's line for an area, competence or profile row: new, changed or
    unchanged by its titles and description and the `more` columns (their values in
    `old`, the object the row would change, or None when there is none)."""
    names = ("title", "title_en", "description", *more)
    before = old and (
        *(getattr(old, name) for name in ("title", "title_en", "description")),
        *more.values(),
    )
    return Change(
        what, row[key], row["title"], _action(before, tuple(row[n] for n in names))
    )


def _action(old, new) -> str:
    if not old:
        return "new"
    return "unchanged" if old == new else "changed"


def apply(actor: User | None, data: FrameworkData) -> ImportPlan:
    """Apply the whole file or nothing: raises before any change when it has errors."""
    result = plan(data)
    if data.levels:
        scale = services.get_scale()
        levels = sorted(data.levels, key=lambda lv: lv["value"])
        services.update_scale(
            actor,
            scale,
            name=scale.name,
            levels=[(lv["label"], lv["description"]) for lv in levels],
        )
    areas, competences, profiles = _existing()
    for a in data.areas:
        areas[a["code"]] = services.save_area(
            actor,
            areas.get(a["code"]),
            code=a["code"],
            **services.texts_of(a),
        )
    for c in data.competences:
        competences[c["code"]] = services.save_competence(
            actor,
            competences.get(c["code"]),
            code=c["code"],
            **services.texts_of(c),
            kind=c["kind"],
            layer=c["layer"],
            area=areas[c["area"]],
            source=c["source"],
        )
    listed = set()
    for p in data.profiles:
        listed.add(p["key"])
        profiles[p["key"]] = services.save_profile(
            actor,
            profiles.get(p["key"]),
            key=p["key"],
            **services.texts_of(p),
            basic=p["basic"],
        )
    _apply_requirements(actor, data, listed, profiles, competences)
    return result


def _apply_requirements(actor, data, listed, profiles, competences) -> None:
    """A profile listed in the file gets exactly the file's requirements; a profile
    only referred to keeps its others."""
    wanted: dict[str, dict[int, tuple[int, int]]] = {key: {} for key in listed}
    for r in data.requirements:
        key = r["profile"]
        if key not in wanted:
            wanted[key] = {
                q.competence_id: (q.target, q.priority)
                for q in profiles[key].requirements
            }
        wanted[key][competences[r["competence"]].id] = (r["target"], r["priority"])
    for key, requirements in wanted.items():
        services.set_requirements(actor, profiles[key], requirements)


def export_data() -> FrameworkData:
    """The whole framework as plain data, ready for writers.write_csv/json."""
    areas, competences, profiles = _existing()
    data = FrameworkData()
    data.levels = [
        {"value": lv.value, "label": lv.label, "description": lv.description}
        for lv in services.get_scale().levels
    ]
    data.areas = [
        {
            "code": a.code,
            "title": a.title,
            "title_en": a.title_en,
            "description": a.description,
        }
        for a in sorted(areas.values(), key=lambda a: a.code)
    ]
    data.competences = [
        {
            "code": c.code,
            "title": c.title,
            "title_en": c.title_en,
            "description": c.description,
            "kind": c.kind,
            "layer": c.layer,
            "area": c.area.code,
            "source": c.source,
        }
        for c in sorted(competences.values(), key=lambda c: c.code)
    ]
    for p in sorted(profiles.values(), key=lambda p: (not p.basic, p.key)):
        data.profiles.append(
            {
                "key": p.key,
                "title": p.title,
                "title_en": p.title_en,
                "description": p.description,
                "basic": p.basic,
            }
        )
        data.requirements += [
            {
                "profile": p.key,
                "competence": q.competence.code,
                "target": q.target,
                "priority": q.priority,
            }
            for q in sorted(p.requirements, key=lambda q: q.competence.code)
        ]
    return data
