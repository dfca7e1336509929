"""Retiring a competence asks first (issue 15): "Udfas" opens a page, or with
JavaScript a dialog, that says what retiring means; the reason is recorded."""

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from learning.assessments.models import RatingSource
from learning.competences import services
from learning.competences.models import Competence, CompetenceKind, Layer


def test_retiring_asks_first_and_asking_changes_nothing(
    client, login_as, small_framework, create_user, rate
):
    fw = small_framework
    rate(fw, create_user("employee"), RatingSource.self, {"B-A1": 2})
    competence = fw.by_code("B-A1")
    login_as("coordinator")

    for path in ("/kompetencer/ramme/", f"/kompetencer/ramme/{competence.id}"):
        text = client.get(path).text
        assert f'href="/kompetencer/ramme/{competence.id}/fjern" data-confirm=' in text
        assert f'id="remove-competence-{competence.id}"' in text
        assert "Vil du udfase B-A1?" in text

    page = client.get(f"/kompetencer/ramme/{competence.id}/fjern")
    assert page.status_code == 200
    assert "<h1>Vil du udfase B-A1?</h1>" in page.text
    assert "Eksisterende vurderinger, mål og kursuskoblinger beholder den" in page.text
    assert "for den 1 profil, der kræver den" in page.text
    assert "Du kan genindsætte den senere." in page.text
    db.session.expire_all()
    assert db.session.get(Competence, competence.id).retired is False

    response = client.post(
        f"/kompetencer/ramme/{competence.id}/fjern",
        data={"reason": "Erstattet af B-A2"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Competence, competence.id).retired is True
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "competence.retired")
    )
    assert event.reason == "Erstattet af B-A2"


def test_an_unused_competence_is_said_to_be_deleted_for_good(
    client, login_as, small_framework
):
    unused = services.save_competence(
        None,
        None,
        code="NY1",
        title="Ny kompetence",
        kind=CompetenceKind.knowledge,
        layer=Layer.basic,
        area=small_framework.competences[0].area,
    )
    db.session.commit()
    login_as("coordinator")
    text = client.get(f"/kompetencer/ramme/{unused.id}/fjern").text
    assert f"Vil du slette {unused.code}?" in text
    assert "bliver slettet for altid" in text


def test_a_bad_reason_retires_nothing(client, login_as, small_framework):
    competence = small_framework.by_code("B-A1")
    login_as("coordinator")
    response = client.post(
        f"/kompetencer/ramme/{competence.id}/fjern", data={"reason": "x" * 1001}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Competence, competence.id).retired is False
