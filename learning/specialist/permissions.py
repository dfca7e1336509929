"""Who reads, writes and edits knowledge items, and who is in an area's network;
predicates for views and templates (the writer's areas read once per request)."""

from flask import has_request_context

from core.people.models import SpecialistArea
from core.people.services import key_person_areas
from core.people.specialists import staff_areas
from learning.specialist.models import ItemStatus, KnowledgeItem


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.active


def writer_areas(user) -> set[SpecialistArea]:
    """The areas the person writes for: as staff of a specialist function or
    as a key person, while the appointment counts; kept for the request."""
    if not _signed_in(user):
        return set()
    if has_request_context() and "_writer_areas" in user.__dict__:
        return set(user.__dict__["_writer_areas"])
    areas = staff_areas(user) | set(key_person_areas(user))
    if has_request_context():
        user.__dict__["_writer_areas"] = frozenset(areas)
    return areas


def can_read_knowledge(user) -> bool:
    """Everyone signed in reads the published items."""
    return _signed_in(user)


def can_write_in(user, area: SpecialistArea) -> bool:
    """Only the area's specialist staff and key persons write."""
    return area in writer_areas(user)


def can_view_item(user, item: KnowledgeItem) -> bool:
    """Published and archived items: everyone signed in. Drafts: their author
    and the area's specialist staff."""
    if not _signed_in(user):
        return False
    if item.status is not ItemStatus.draft:
        return True
    return user.id == item.author_id or item.area in staff_areas(user)


def can_edit_item(user, item: KnowledgeItem) -> bool:
    """The author while they write for the area, and the area's staff."""
    if not _signed_in(user):
        return False
    if item.area in staff_areas(user):
        return True
    return user.id == item.author_id and can_write_in(user, item.area)


def can_use_network(user, area: SpecialistArea) -> bool:
    """The area's key persons and specialist staff meet in its network."""
    return can_write_in(user, area)
