"""Load the demo framework (learning/competences/demo/framework.json), idempotently."""

import json
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from learning.competences import services
from learning.competences.models import Area, Competence, CompetenceKind, Layer, Profile

DEMO_FILE = Path(__file__).parent / "demo" / "framework.json"


def load_demo_framework() -> dict | None:
    if not DEMO_FILE.exists():
        return None
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def seed_framework(data: dict) -> dict[str, Profile]:
    """Create what is missing of the framework in `data`; returns profiles by key.

    Existing areas, competences and profiles keep a coordinator's later edits.
    """
    scale = services.get_scale()
    if data.get("scale") and not _scale_edited(scale):
        levels = sorted(data["scale"]["levels"], key=lambda lv: lv["value"])
        services.update_scale(
            None,
            scale,
            name=data["scale"].get("name") or scale.name,
            levels=[(lv["label"], lv.get("description", "")) for lv in levels],
        )
    areas = {a.code: a for a in db.session.scalars(sa.select(Area))}
    for item in data.get("areas", []):
        if item["code"] not in areas:
            areas[item["code"]] = services.save_area(
                None,
                None,
                code=item["code"],
                **services.texts_of(item),
            )
    competences = {c.code: c for c in db.session.scalars(sa.select(Competence))}
    for item in data.get("competences", []):
        if item["code"] not in competences:
            competences[item["code"]] = services.save_competence(
                None,
                None,
                code=item["code"],
                **services.texts_of(item),
                kind=CompetenceKind(item["kind"]),
                layer=Layer(item["layer"]),
                area=areas[item["area"]],
                source=item.get("source", ""),
            )
    profiles = {p.key: p for p in db.session.scalars(sa.select(Profile))}
    for item in data.get("profiles", []):
        if item["key"] in profiles:
            continue
        profile = services.save_profile(
            None,
            None,
            key=item["key"],
            **services.texts_of(item),
            basic=bool(item.get("basic")),
        )
        wanted = {
            competences[r["competence"]].id: (int(r["target"]), int(r["priority"]))
            for r in item.get("requirements", [])
        }
        services.set_requirements(None, profile, wanted)
        profiles[item["key"]] = profile
    return profiles


def _scale_edited(scale) -> bool:
    """True when the scale is no longer the built-in default (someone changed it)."""
    default = [label for _v, label, _t in services.DEFAULT_LEVELS]
    return (
        scale.name != services.DEFAULT_SCALE_NAME
        or [lv.label for lv in scale.levels] != default
    )
