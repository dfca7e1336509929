"""The region's advisory function (seed 002): coordinators who advise the
jobcentres of an employment region, linked to that region."""

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from core.permissions import Link, link_counts


class RegionAdviser(db.Model):
    __tablename__ = "region_advisers"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("org_units.id"), primary_key=True, index=True
    )

    user: Mapped[User] = relationship()
    region: Mapped[OrgUnit] = relationship()


def advised_region_ids(user) -> set[int]:
    """The regions the person advises, while the link counts (the coordinator
    role held, the account active); kept on the user for the request."""
    if not link_counts(user, Link.region_adviser):
        return set()
    if has_request_context() and "_advised_regions" in user.__dict__:
        return set(user.__dict__["_advised_regions"])
    ids = set(
        db.session.scalars(
            sa.select(RegionAdviser.region_id).where(RegionAdviser.user_id == user.id)
        )
    )
    if has_request_context():
        user.__dict__["_advised_regions"] = frozenset(ids)
    return ids


def advises(user, unit: OrgUnit | None) -> bool:
    """The person advises the region `unit` lies in (a region, jobcentre or team)."""
    if unit is None:
        return False
    regions = advised_region_ids(user)
    if not regions:
        return False
    while unit is not None and unit.kind is not UnitKind.region:
        unit = unit.parent
    return unit is not None and unit.id in regions


def set_adviser(user: User, region: OrgUnit) -> RegionAdviser:
    """Link `user` to `region` as one of its advisers (idempotent)."""
    if region.kind is not UnitKind.region:
        raise ValueError("advisers belong to a region")
    link = db.session.get(RegionAdviser, (user.id, region.id))
    if link is None:
        link = RegionAdviser(user=user, region=region)
        db.session.add(link)
        db.session.flush()
    return link
