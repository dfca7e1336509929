"""Fixtures for the learning tests: a small framework and people rated against it."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest

from core.db import db
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.competences.models import (
    Competence,
    CompetenceKind,
    Layer,
    Profile,
)
from tests.dates import today


@dataclass
class Framework:
    basic: Profile
    consultant: Profile
    competences: list[Competence]

    def by_code(self, code: str) -> Competence:
        return next(c for c in self.competences if c.code == code)


@pytest.fixture
def small_framework(app) -> Framework:
    """Two areas, four competences; a basic profile and a company-consultant one."""
    framework.get_scale()
    law = framework.save_area(
        None, None, code="LAW", title="Lovgivning", title_en="Legislation"
    )
    firms = framework.save_area(
        None, None, code="FIRM", title="Virksomhedskontakt", title_en="Company contact"
    )
    specs = [
        (
            "B-V1",
            "Viden om beskæftigelseslovgivningen",
            CompetenceKind.knowledge,
            Layer.basic,
            law,
        ),
        (
            "B-H1",
            "Kan føre en motiverende samtale",
            CompetenceKind.action,
            Layer.basic,
            law,
        ),
        (
            "B-A1",
            "Respekt for borgerens ressourcer",
            CompetenceKind.attitude,
            Layer.basic,
            law,
        ),
        (
            "S-VK1",
            "Kan opsøge og servicere virksomheder",
            CompetenceKind.action,
            Layer.specific,
            firms,
        ),
    ]
    competences = [
        framework.save_competence(
            None,
            None,
            code=code,
            title=title,
            kind=kind,
            layer=layer,
            area=area,
            title_en=title,
        )
        for code, title, kind, layer, area in specs
    ]
    basic = framework.save_profile(
        None, None, key="basic", title="Grundprofil", basic=True
    )
    framework.set_requirements(
        None,
        basic,
        {
            competences[0].id: (3, 3),
            competences[1].id: (2, 2),
            competences[2].id: (3, 1),
        },
    )
    consultant = framework.save_profile(
        None, None, key="company", title="Virksomhedskonsulent"
    )
    framework.set_requirements(
        None, consultant, {competences[3].id: (3, 2), competences[1].id: (3, 3)}
    )
    db.session.commit()
    return Framework(basic, consultant, competences)


def at(day: int) -> datetime:
    """09:00 UTC on the `day`th of a month that began about two months ago."""
    return datetime.combine(today() - timedelta(days=60 - day), time(9), tzinfo=UTC)


@pytest.fixture
def rate(app):
    """rate(person, source, {code: level}, by=..., day=...) stores one round."""

    def make(
        fw: Framework,
        person,
        source: RatingSource,
        levels: dict[str, int],
        *,
        by=None,
        day: int = 1,
    ):
        entries = {fw.by_code(code).id: (level, "") for code, level in levels.items()}
        result = assessments.save_round(
            by or person, person, source, entries, at=at(day)
        )
        db.session.commit()
        return result

    return make
