"""What provisioning keeps beside the accounts: the directory's name for each
account it manages, and the directory's groups with their members."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import User


class ScimUser(db.Model):
    """The directory's view of an account: its userName and externalId, and
    whether the directory deleted it (the account stays, deactivated, with its
    history; SCIM no longer finds it)."""

    __tablename__ = "scim_users"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    # Stored lower-cased: userName is not case-exact (RFC 7643 4.1.1).
    user_name: Mapped[str] = mapped_column(sa.String(254), unique=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class DirectoryGroup(db.Model):
    """A group in the organisation's directory. The settings map a group, by its
    name or external id, to roles and a team (the same mapping as sign-on)."""

    __tablename__ = "directory_groups"

    id: Mapped[intpk]
    display_name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["DirectoryGroupMember"]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="DirectoryGroupMember.user_id",
    )


class DirectoryGroupMember(db.Model):
    __tablename__ = "directory_group_members"

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("directory_groups.id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id"), primary_key=True, index=True
    )

    group: Mapped[DirectoryGroup] = relationship(back_populates="members")
