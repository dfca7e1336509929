"""An administrator registers a provider's feed: saved, audited, admins only."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from courses.calendars import services


def _audits(provider) -> list[AuditEvent]:
    return db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action == "provider.feed_url",
            AuditEvent.object_id == provider.id,
        )
    ).all()


def test_the_service_sets_and_audits_the_address(make_provider, create_user):
    provider, admin = make_provider(), create_user("admin")
    services.set_feed_url(admin, provider, "https://udbyder.example/feed.ics")
    assert provider.feed_url == "https://udbyder.example/feed.ics"
    (event,) = _audits(provider)
    assert (event.actor_id, event.before, event.after) == (
        admin.id,
        {"feed_url": ""},
        {"feed_url": "https://udbyder.example/feed.ics"},
    )


def test_an_admin_registers_a_feed_on_the_page(client, login_as, make_provider):
    provider = make_provider()
    login_as("admin")
    response = client.post(
        f"/udbyder/{provider.id}/kalender/feed",
        data={"feed_url": "https://udbyder.example/feed.ics"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert provider.feed_url == "https://udbyder.example/feed.ics"
    assert len(_audits(provider)) == 1
    page = client.get(response.headers["Location"]).text
    assert "Adressen på kalenderabonnementet er gemt." in page


@pytest.mark.parametrize("role", ["provider_staff", "coordinator", "employee"])
def test_only_admins_register_feeds(client, login_as, make_provider, role):
    provider = make_provider()
    login_as(role)
    response = client.post(
        f"/udbyder/{provider.id}/kalender/feed",
        data={"feed_url": "https://udbyder.example/feed.ics"},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert provider.feed_url == ""
    assert _audits(provider) == []
