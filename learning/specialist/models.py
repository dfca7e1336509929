"""Knowledge items of the specialist areas (news, guidance notes, links and
documents) with their competences, the readings they became in development
plans, and the courses linked to an area. The key-person network's messages are
not here: they belong to the network (network.py)."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import SpecialistArea, User
from core.people.specialists import SpecialistFunction
from courses.catalogue.models import Course
from learning.competences.models import Competence
from learning.plans.models import PlanActivity


class ItemKind(enum.Enum):
    news = "news"
    guidance = "guidance"  # a guidance note (vejledning)
    link = "link"
    document = "document"


class ItemStatus(enum.Enum):
    draft = "draft"
    published = "published"
    archived = "archived"


class KnowledgeItem(db.Model):
    __tablename__ = "knowledge_items"
    __table_args__ = (
        # An area's published items, newest first: the area page, feed, suggestions.
        sa.Index("ix_knowledge_items_listing", "area", "status", "published_at"),
    )

    id: Mapped[intpk]
    area: Mapped[SpecialistArea]
    # The specialist function it was written for; None for a key person's item.
    function_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("specialist_functions.id"), index=True
    )
    kind: Mapped[ItemKind]
    status: Mapped[ItemStatus] = mapped_column(default=ItemStatus.draft)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Sanitised HTML (learning.specialist.richtext); sanitised again when shown.
    body: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    # An uploaded document: the name it is offered under, its checked type, and
    # the random key it is stored under outside the web root.
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    file_type: Mapped[str] = mapped_column(sa.String(120), default="")
    file_size: Mapped[int] = mapped_column(default=0)
    file_key: Mapped[str] = mapped_column(sa.String(64), default="")
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    function: Mapped[SpecialistFunction | None] = relationship()
    author: Mapped[User] = relationship()
    competences: Mapped[list[Competence]] = relationship(
        secondary="knowledge_item_competences", order_by="Competence.code"
    )


class KnowledgeItemCompetence(db.Model):
    """A competence an item helps develop: what ties it to people's gaps."""

    __tablename__ = "knowledge_item_competences"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_items.id"), primary_key=True
    )
    competence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competences.id"), primary_key=True, index=True
    )


class KnowledgeReading(db.Model):
    """A plan's reading activity made from an item; gone with the activity."""

    __tablename__ = "knowledge_readings"

    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plan_activities.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_items.id"), index=True
    )

    activity: Mapped[PlanActivity] = relationship()
    item: Mapped[KnowledgeItem] = relationship()


class AreaCourse(db.Model):
    """A course of the catalogue that an area (and, optionally, one of its
    functions) offers: its seminars, courses and network meetings. Kept here, so
    courses need not know about specialist areas."""

    __tablename__ = "specialist_area_courses"

    area: Mapped[SpecialistArea] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id"), primary_key=True, index=True
    )
    function_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("specialist_functions.id"), index=True
    )

    course: Mapped[Course] = relationship()
    function: Mapped[SpecialistFunction | None] = relationship()


def new_feed_secret() -> str:
    # 32 random bytes: the address is the only key, so it must not be guessable.
    return secrets.token_urlsafe(32)


class KnowledgeFeedToken(db.Model):
    """The secret in a person's private feed addresses for the areas' published
    items, for feed readers that cannot sign in. Kept as it is (not a hash) so
    the area page can show the address again; a new one replaces it and the old
    addresses stop working at once, as does deactivating the account."""

    __tablename__ = "knowledge_feed_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    secret: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_feed_secret
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
