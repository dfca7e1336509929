"""Who may read the catalogue and who may edit a provider's courses."""

import sqlalchemy as sa
from flask import g, has_request_context

from core.db import db
from core.permissions import Link, link_counts
from courses.catalogue.models import Course, Provider, ProviderMember


def provider_ids_of(user) -> frozenset[int]:
    """The providers `user` works for, while the membership counts (the
    provider-staff role held, the account active); read once per request."""
    if not link_counts(user, Link.provider_member):
        return frozenset()
    cache = g.setdefault("_provider_ids", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = frozenset(
            db.session.scalars(
                sa.select(ProviderMember.provider_id).where(
                    ProviderMember.user_id == user.id
                )
            )
        )
    return cache[user.id]


# The providers a person works for, comma-joined, the person bound at run time.
_PROVIDER_IDS = (
    sa.select(
        sa.func.aggregate_strings(sa.cast(ProviderMember.provider_id, sa.String), ",")
    )
    .where(ProviderMember.user_id == sa.bindparam("provider_member_id"))
    .scalar_subquery()
)


def provider_ids_column(user):
    """The providers `user` works for as one column of a page's own statement
    (comma-joined ids; NULL when the membership does not count), so a page that
    reads a row anyway reads them with it: run the statement with
    provider_member_id=user.id and give the value to keep_provider_ids."""
    if not link_counts(user, Link.provider_member):
        return sa.null()
    return _PROVIDER_IDS


def keep_provider_ids(user, joined: str | None) -> None:
    """Keep for the request what provider_ids_column read: provider_ids_of then
    answers from it, as from its own read."""
    if link_counts(user, Link.provider_member) and has_request_context():
        ids = frozenset(int(i) for i in joined.split(",")) if joined else frozenset()
        g.setdefault("_provider_ids", {})[user.id] = ids


def can_view_catalogue(user) -> bool:
    """Every signed-in person may read the catalogue."""
    return bool(getattr(user, "is_authenticated", False))


def can_use_provider_pages(user) -> bool:
    """Admins, and provider staff linked to at least one provider."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return bool(provider_ids_of(user))


def can_manage_provider(user, provider: Provider) -> bool:
    """Admins, and the provider's own staff, may publish its courses and sessions."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or provider.id in provider_ids_of(user)


def can_manage_course(user, course: Course) -> bool:
    """Admins, and staff of the course's provider, may edit the course."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or course.provider_id in provider_ids_of(user)


def can_view_course(user, course: Course) -> bool:
    """Published courses, archived ones too, are for everyone signed in; a draft
    only for those who may edit it."""
    if course.published:
        return can_view_catalogue(user)
    return can_manage_course(user, course)
