"""The competence framework: kinds, areas, competences, the scale and profiles."""

import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk
from core.extensions import reading_english


class CompetenceKind(enum.Enum):
    knowledge = "knowledge"
    action = "action"
    attitude = "attitude"


class Layer(enum.Enum):
    basic = "basic"
    specific = "specific"


# Requirement priorities are weights: a gap in a high-priority competence counts more.
PRIORITIES = (1, 2, 3)


class Area(db.Model):
    """A competence area (kompetenceområde), e.g. company contact or IT tools."""

    __tablename__ = "competence_areas"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    competences: Mapped[list["Competence"]] = relationship(
        back_populates="area", order_by="Competence.code"
    )

    def __repr__(self) -> str:
        return f"<Area {self.code}>"


class Competence(db.Model):
    __tablename__ = "competences"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[CompetenceKind] = mapped_column(index=True)
    layer: Mapped[Layer] = mapped_column(index=True)
    area_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competence_areas.id"), index=True
    )
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    # A competence that ratings or profiles use is retired instead of deleted.
    retired: Mapped[bool] = mapped_column(default=False)

    area: Mapped[Area] = relationship(back_populates="competences")

    def __repr__(self) -> str:
        return f"<Competence {self.code}>"


# The default scale is stored in Danish, as seed 003 words it (it is the jobcentre's
# data); the English UI shows it in English, unless a coordinator has reworded it.
DEFAULT_SCALE_TEXTS = {
    "Kompetenceniveau 0-4": _l("Competence level 0-4"),
    "Ingen": _l("No level"),
    "Kende": _l("Knows of"),
    "Kunne": _l("Can with support"),
    "Beherske": _l("Masters"),
    "Ekspert": _l("Expert"),
    "Ingen viden eller erfaring med kompetencen.": _l(
        "No knowledge of or experience with the competence."
    ),
    "Kender til emnet og kan genkende det i praksis.": _l(
        "Knows of the subject and can recognise it in practice."
    ),
    "Kan anvende kompetencen i almindelige opgaver med støtte.": _l(
        "Can use the competence in ordinary tasks, with support."
    ),
    "Behersker kompetencen selvstændigt, også i komplekse sager.": _l(
        "Masters the competence independently, in complex cases too."
    ),
    "Er ekspert og kan lære andre og udvikle praksis.": _l(
        "Is an expert who can teach others and develop practice."
    ),
}


def shown(text: str) -> str:
    """A scale's stored text as the person reads it: the default scale's Danish
    words in English in the English UI; anything else as it was typed."""
    english = DEFAULT_SCALE_TEXTS.get(text)
    if english is None or not reading_english():
        return text
    return str(english)


class Scale(db.Model):
    """The rating scale; the framework has one, 0-4 unless a coordinator changes it."""

    __tablename__ = "scales"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200))

    levels: Mapped[list["ScaleLevel"]] = relationship(
        back_populates="scale",
        order_by="ScaleLevel.value",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def top(self) -> int:
        return self.levels[-1].value if self.levels else 0

    @property
    def shown_name(self) -> str:
        return shown(self.name)

    def label(self, value: int | None) -> str:
        """The name of the level `value` in the reader's language."""
        for level in self.levels:
            if level.value == value:
                return level.name
        return "" if value is None else str(value)


class ScaleLevel(db.Model):
    __tablename__ = "scale_levels"
    __table_args__ = (sa.UniqueConstraint("scale_id", "value"),)

    id: Mapped[intpk]
    scale_id: Mapped[int] = mapped_column(sa.ForeignKey("scales.id"), index=True)
    value: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    scale: Mapped[Scale] = relationship(back_populates="levels")

    @property
    def name(self) -> str:
        """The label in the reader's language (the stored one is `label`)."""
        return shown(self.label)

    @property
    def text(self) -> str:
        """The description in the reader's language."""
        return shown(self.description)


class Profile(db.Model):
    """A job-function profile: the target level per competence for a function."""

    __tablename__ = "competence_profiles"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The basic profile applies to every person without being linked.
    basic: Mapped[bool] = mapped_column(default=False, index=True)

    requirements: Mapped[list["Requirement"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Profile {self.key}>"


class Requirement(db.Model):
    __tablename__ = "competence_requirements"
    __table_args__ = (
        sa.UniqueConstraint("profile_id", "competence_id"),
        sa.CheckConstraint("target >= 0", name="target_not_negative"),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
    )

    id: Mapped[intpk]
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competence_profiles.id"), index=True
    )
    competence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competences.id"), index=True
    )
    target: Mapped[int]
    priority: Mapped[int] = mapped_column(default=2)

    profile: Mapped[Profile] = relationship(back_populates="requirements")
    competence: Mapped[Competence] = relationship()


class UserProfile(db.Model):
    """A person's job function; core knows nothing of profiles, so the link is here."""

    __tablename__ = "user_profiles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competence_profiles.id"), primary_key=True, index=True
    )

    profile: Mapped[Profile] = relationship()
