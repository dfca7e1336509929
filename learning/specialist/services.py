"""Knowledge items: written, published and archived by an area's specialist
staff and key persons; an uploaded document checked and stored outside the web
root; a published item added to a reader's development plan as a reading. The
acting user is an argument; they flush and never commit; refusals are
SpecialistError. The network's messages are in network.py."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from core.audit import record
from core.clock import today
from core.db import db, utcnow
from core.notifications.services import link_for
from core.people.models import SpecialistArea, User
from core.people.specialists import SpecialistFunction
from core.urls import public_base_url
from learning.competences.models import Competence
from learning.plans import services as plans
from learning.plans.models import ActivityKind, Plan, PlanActivity, PlanKind
from learning.specialist import richtext, uploads
from learning.specialist.errors import SpecialistError
from learning.specialist.labels import STATUS_LABELS
from learning.specialist.models import (
    ItemKind,
    ItemStatus,
    KnowledgeItem,
    KnowledgeReading,
)
from learning.specialist.permissions import can_edit_item, can_write_in

SUMMARY_MAX = 1000
BODY_MAX = 20_000
NEEDS_BODY = frozenset({ItemKind.news, ItemKind.guidance})


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the name the browser gave and its bytes."""

    name: str
    data: bytes
    key: str = ""  # a fixed storage key (the demo's files); else a random one


@dataclass(frozen=True)
class Transition:
    sources: frozenset[ItemStatus]
    target: ItemStatus


# An item's life: written as a draft, published, archived (and back again).
TRANSITIONS = {
    "publish": Transition(
        frozenset({ItemStatus.draft, ItemStatus.archived}), ItemStatus.published
    ),
    "archive": Transition(
        frozenset({ItemStatus.draft, ItemStatus.published}), ItemStatus.archived
    ),
}


def upload_dir() -> str:
    return current_app.config["SPECIALIST_UPLOAD_DIR"]


def upload_limit() -> int:
    return current_app.config["SPECIALIST_UPLOAD_MAX_BYTES"]


def _text(value: str | None, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise SpecialistError("text_too_long", max=limit)
    return value


def _title(value: str | None) -> str:
    value = (value or "").strip()
    if not value or len(value) > 300:
        raise SpecialistError("bad_title", field="title")
    return value


def _url(value: str | None) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if (
        len(value) > 1000
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(ch.isspace() or ord(ch) < 32 for ch in value)
    ):
        raise SpecialistError("bad_url", field="url")
    return value


def _competences(ids: Iterable[int]) -> list[Competence]:
    wanted = set(ids)
    if not wanted:
        raise SpecialistError("no_competences", field="competence_ids")
    found = db.session.scalars(
        sa.select(Competence).where(
            Competence.id.in_(wanted), Competence.retired.is_(False)
        )
    ).all()
    if len(found) != len(wanted):
        raise SpecialistError("bad_competence", field="competence_ids")
    return sorted(found, key=lambda c: c.code)


def _function(area: SpecialistArea, function_id: int | None):
    if function_id is None:
        return None
    function = db.session.get(SpecialistFunction, function_id)
    if function is None or function.area is not area:
        raise SpecialistError("bad_function", field="function_id")
    return function


def check_upload(upload: Upload) -> uploads.FileType:
    """The upload's checked type, or the Danish reason it is refused."""
    limit = upload_limit()
    try:
        return uploads.check(upload.name, upload.data, max_bytes=limit)
    except uploads.UploadError as exc:
        params = {
            "mismatch": {"name": uploads.safe_name(upload.name)},
            "too_large": {"limit": f"{limit / 1_000_000:.0f}"},
        }.get(exc.code, {})
        raise SpecialistError(f"file_{exc.code}", field="file", **params) from exc


def _fill(item: KnowledgeItem, fields: dict, upload: Upload | None) -> str | None:
    """Check and set an item's content; stores a new upload and returns the key
    of the file it replaces (for the caller to remove after the commit)."""
    kind = item.kind
    item.title = _title(fields.get("title"))
    item.summary = _text(fields.get("summary"), SUMMARY_MAX)
    item.body = richtext.clean(_text(fields.get("body"), BODY_MAX))
    if kind in NEEDS_BODY and not richtext.plain(item.body):
        raise SpecialistError("no_body", field="body")
    item.url = _url(fields.get("url")) if kind is ItemKind.link else ""
    item.function = _function(item.area, fields.get("function_id"))
    item.competences = _competences(fields.get("competence_ids") or ())
    replaced = None
    if kind is ItemKind.document:
        if upload is None and not item.file_key:
            raise SpecialistError("no_file", field="file")
        if upload is not None:
            file_type = check_upload(upload)
            replaced = item.file_key or None
            item.file_key = uploads.store(upload_dir(), upload.data, key=upload.key)
            item.file_name = uploads.safe_name(upload.name)
            item.file_type = file_type.mimetype
            item.file_size = len(upload.data)
    item.updated_at = utcnow()
    return replaced


def create_item(
    actor: User,
    area: SpecialistArea,
    kind: ItemKind,
    *,
    upload: Upload | None = None,
    demo: bool = False,
    **fields,
) -> KnowledgeItem:
    """A new draft item by `actor` for `area`; `fields` are title, summary,
    body, url, function_id and competence_ids."""
    if not can_write_in(actor, area):
        raise SpecialistError("not_allowed")
    item = KnowledgeItem(area=area, kind=kind, author=actor, demo=demo)
    _fill(item, fields, upload)
    db.session.add(item)
    db.session.flush()
    record(actor, "knowledge_item.create", item, after=_state(item))
    return item


def update_item(
    actor: User, item: KnowledgeItem, *, upload: Upload | None = None, **fields
) -> str | None:
    """Change an item's content; returns the key of a replaced file, if any."""
    if not can_edit_item(actor, item):
        raise SpecialistError("not_allowed")
    before = _state(item)
    replaced = _fill(item, fields, upload)
    db.session.flush()
    record(actor, "knowledge_item.update", item, before=before, after=_state(item))
    return replaced


def change_status(actor: User, item: KnowledgeItem, name: str) -> None:
    """Publish or archive an item, as TRANSITIONS allow."""
    transition = TRANSITIONS.get(name)
    if transition is None or not can_edit_item(actor, item):
        raise SpecialistError("not_allowed")
    if item.status not in transition.sources:
        status = str(STATUS_LABELS[item.status]).lower()
        raise SpecialistError("wrong_state", status=status)
    before = item.status
    item.status = transition.target
    now = utcnow()
    if transition.target is ItemStatus.published and item.published_at is None:
        item.published_at = now
    item.updated_at = now
    db.session.flush()
    record(
        actor,
        f"knowledge_item.{name}",
        item,
        before={"status": before.value},
        after={"status": item.status.value},
    )


def _state(item: KnowledgeItem) -> dict:
    return {
        "area": item.area.value,
        "kind": item.kind.value,
        "status": item.status.value if item.status else None,
        "title": item.title,
        "function_id": item.function_id,
        "competence_ids": [c.id for c in item.competences],
        "file_name": item.file_name,
    }


# --- readings in development plans --------------------------------------------------


def current_plan(person: User) -> Plan | None:
    """The person's plan for the period today falls in, if they have started it."""
    starts_on, _ends_on = plans.period_containing(today())
    return db.session.scalar(
        sa.select(Plan).where(
            Plan.kind == PlanKind.person,
            Plan.owner_id == person.id,
            Plan.starts_on == starts_on,
        )
    )


def planned_readings(person: User) -> set[int]:
    """The items that are readings in the person's current plan already (as
    readings_in(current_plan(person)), in one query)."""
    starts_on, _ends_on = plans.period_containing(today())
    return set(
        db.session.scalars(
            sa.select(KnowledgeReading.item_id)
            .join(PlanActivity, PlanActivity.id == KnowledgeReading.activity_id)
            .join(Plan, Plan.id == PlanActivity.plan_id)
            .where(
                Plan.kind == PlanKind.person,
                Plan.owner_id == person.id,
                Plan.starts_on == starts_on,
            )
        )
    )


def readings_in(plan: Plan | None) -> set[int]:
    """The items that are readings in `plan` already."""
    if plan is None:
        return set()
    return set(
        db.session.scalars(
            sa.select(KnowledgeReading.item_id)
            .join(PlanActivity, PlanActivity.id == KnowledgeReading.activity_id)
            .where(PlanActivity.plan_id == plan.id)
        )
    )


def add_to_plan(actor: User, item: KnowledgeItem) -> PlanActivity:
    """Reading `item` as an activity in the actor's current plan (started as a
    draft if there is none), under the goal for one of its competences."""
    if item.status is not ItemStatus.published:
        raise SpecialistError("not_published")
    plan = current_plan(actor)
    if plan is None:
        starts_on, ends_on = plans.period_containing(today())
        plan = plans.create_plan(actor, actor, starts_on=starts_on, ends_on=ends_on)
    elif item.id in readings_in(plan):
        raise SpecialistError("in_plan")
    tagged = {c.id for c in item.competences}
    goal = next((g for g in plan.goals if g.competence_id in tagged), None)
    link = public_base_url() + link_for("learning.specialist.item", item_id=item.id)
    activity = plans.add_activity(
        actor,
        plan,
        kind=ActivityKind.reading,
        title=item.title[:300],
        description=f"{item.summary}\n\n{link}".strip(),
        goal_id=goal.id if goal else None,
    )
    db.session.add(KnowledgeReading(activity=activity, item=item))
    db.session.flush()
    return activity
