"""Providers, their staff, categories, courses, prices and prerequisites."""

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import EmployerKind, User


class ProviderKind(enum.Enum):
    ministry = "ministry"
    cok = "cok"
    university_college = "university_college"
    specialist_function = "specialist_function"
    region = "region"
    jobcentre = "jobcentre"


class CourseFormat(enum.Enum):
    in_person = "in_person"
    online = "online"
    blended = "blended"


class Audience(enum.Enum):
    state = "state"
    municipal = "municipal"
    both = "both"


class CourseStatus(enum.Enum):
    """A draft is seen only by its provider's staff (and admins) until published;
    archiving (`archived_at`) is apart from this and keeps a course's page readable."""

    draft = "draft"
    published = "published"


class Provider(db.Model):
    __tablename__ = "providers"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ProviderKind]
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    demo: Mapped[bool] = mapped_column(default=False)
    # A calendar feed the coordinator registered; `flask courses sync-calendars`
    # reads it.
    feed_url: Mapped[str] = mapped_column(sa.String(500), default="")
    default_capacity: Mapped[int] = mapped_column(default=20)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    members: Mapped[list["ProviderMember"]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )


class ProviderMember(db.Model):
    """A user who works for a provider and may edit its courses."""

    __tablename__ = "provider_members"

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id"), primary_key=True, index=True
    )

    provider: Mapped[Provider] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")


course_prerequisites = sa.Table(
    "course_prerequisites",
    db.metadata,
    sa.Column("course_id", sa.ForeignKey("courses.id"), primary_key=True),
    sa.Column("required_course_id", sa.ForeignKey("courses.id"), primary_key=True),
)


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        sa.CheckConstraint("price_state >= 0", name="price_state_not_negative"),
        sa.CheckConstraint("price_municipal >= 0", name="price_municipal_not_negative"),
        sa.Index("ix_courses_listing", "archived_at", "status", "title"),
        # The catalogue's filters and sort orders, each led by what makes a
        # course listed (Course.is_listed): not archived, and published.
        sa.Index(
            "ix_courses_category_listing",
            "archived_at",
            "status",
            "category_id",
            "title",
        ),
        sa.Index(
            "ix_courses_provider_listing",
            "archived_at",
            "status",
            "provider_id",
            "title",
        ),
        # Ending with the title, they serve the whole price order without a sort.
        sa.Index(
            "ix_courses_price_state", "archived_at", "status", "price_state", "title"
        ),
        sa.Index(
            "ix_courses_price_municipal",
            "archived_at",
            "status",
            "price_municipal",
            "title",
        ),
        # The catalogue cache's data version reads the latest change.
        sa.Index("ix_courses_updated_at", "updated_at"),
    )

    id: Mapped[intpk]
    # A stable key for demo data and imports; optional for courses made by hand.
    key: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("providers.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("categories.id"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    format: Mapped[CourseFormat] = mapped_column(default=CourseFormat.in_person)
    duration_days: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    audience: Mapped[Audience] = mapped_column(default=Audience.both, index=True)
    price_state: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    price_municipal: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    demo: Mapped[bool] = mapped_column(default=False)
    # The product makes drafts (services.create_course); a row built directly,
    # by a bulk loader or a fixture, is public, as every course was before drafts.
    status: Mapped[CourseStatus] = mapped_column(default=CourseStatus.published)
    archived_at: Mapped[datetime | None]
    # Lower-cased title and description: SQLite's LIKE folds only ASCII, not æøå.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    provider: Mapped[Provider] = relationship()
    category: Mapped[Category | None] = relationship()
    prerequisites: Mapped[list["Course"]] = relationship(
        secondary=course_prerequisites,
        primaryjoin=lambda: Course.id == course_prerequisites.c.course_id,
        secondaryjoin=lambda: Course.id == course_prerequisites.c.required_course_id,
        order_by=lambda: Course.title,
    )

    def refresh_search_text(self) -> None:
        self.search_text = f"{self.title}\n{self.description}".casefold()

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def published(self) -> bool:
        return self.status is CourseStatus.published

    @classmethod
    def is_listed(cls) -> sa.ColumnElement[bool]:
        """Courses everyone may see and book: published and not archived. Every
        public listing (catalogue, suggestions, feeds, reports) filters on it."""
        return sa.and_(cls.status == CourseStatus.published, cls.archived_at.is_(None))

    def is_open_to(self, employer_kind: EmployerKind) -> bool:
        if self.audience is Audience.both:
            return True
        return self.audience.value == employer_kind.value

    def price_for(self, employer_kind: EmployerKind) -> Decimal:
        if employer_kind is EmployerKind.state:
            return self.price_state
        return self.price_municipal
