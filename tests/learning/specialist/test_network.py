"""The key-person network of an area: who is in it, and that a message or a
meeting invitation reaches all of them (in the app and through the outbox, an
invitation with an .ics that calendars read) and no one else."""

from datetime import time

import icalendar
import pytest
import sqlalchemy as sa

from core.clock import COPENHAGEN
from core.db import db
from core.notifications.models import Notification, OutboxMail
from core.people.models import KeyPerson, SpecialistArea, UnitKind
from core.people.specialists import SpecialistFunction, add_staff
from courses.sessions.services import MeetingInput
from learning.specialist import network
from learning.specialist.network import MessageKind, NetworkMessage
from tests.dates import working_day

EURES = SpecialistArea.eures
pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def country(create_unit):
    """Two regions, two jobcentres each."""
    north = create_unit(UnitKind.region, name="Region Nord")
    south = create_unit(UnitKind.region, name="Region Syd")
    return {
        "north": north,
        "south": south,
        "aalborg": create_unit(
            UnitKind.jobcentre, name="Jobcenter Aalborg", parent=north
        ),
        "hjoerring": create_unit(
            UnitKind.jobcentre, name="Jobcenter Hjørring", parent=north
        ),
        "odense": create_unit(
            UnitKind.jobcentre, name="Jobcenter Odense", parent=south
        ),
        "aeroe": create_unit(UnitKind.jobcentre, name="Jobcenter Ærø", parent=south),
    }


@pytest.fixture
def people(country, create_user, create_unit):
    """EURES key persons in three jobcentres, the EURES function's staff in the
    north, and people who are not in the EURES network."""

    def employee(jobcentre, name, area=None):
        person = create_user(
            "employee", team=create_unit(parent=country[jobcentre]), name=name
        )
        if area is not None:
            db.session.add(
                KeyPerson(user=person, area=area, jobcentre=country[jobcentre])
            )
        return person

    found = {
        "aalborg": employee("aalborg", "Malene Kragh", EURES),
        "hjoerring": employee("hjoerring", "Jens Ærbø", EURES),
        "odense": employee("odense", "Heidi Nissen", EURES),
        "disability": employee("aeroe", "Rikke Johansen", SpecialistArea.disability),
        "colleague": employee("aalborg", "Brian Nørgaard"),
        "staff": employee("aalborg", "Søs Specialist"),
        "other_staff": employee("odense", "Hamid Handicap"),
    }
    eures_north = SpecialistFunction(
        area=EURES, region=country["north"], name="EURES Nordjylland"
    )
    disability_south = SpecialistFunction(
        area=SpecialistArea.disability, region=country["south"], name="Handicap Syd"
    )
    db.session.add_all([eures_north, disability_south])
    db.session.flush()
    add_staff(None, eures_north, found["staff"])
    add_staff(None, disability_south, found["other_staff"])
    db.session.commit()
    return found


def _names(users) -> set[str]:
    return {user.name for user in users}


def test_the_network_is_the_areas_key_persons_and_its_functions_staff(people):
    members = network.members(EURES)
    assert _names(m.user for m in members) == {
        "Malene Kragh",
        "Jens Ærbø",
        "Heidi Nissen",
        "Søs Specialist",
    }
    assert {m.where for m in members if m.staff} == {"EURES Nordjylland"}
    north = network.members(EURES, people["aalborg"].team.parent.parent_id)
    assert _names(m.user for m in north) == {
        "Malene Kragh",
        "Jens Ærbø",
        "Søs Specialist",
    }


def test_a_message_reaches_everyone_in_the_network_and_no_one_else(people):
    message = network.send(
        people["staff"],
        EURES,
        kind=MessageKind.message,
        subject="Nye regler for EU-borgere",
        body="Læs notatet før netværksmødet.",
    )
    db.session.commit()
    told = db.session.scalars(sa.select(Notification)).all()
    mails = db.session.scalars(sa.select(OutboxMail)).all()
    expected = {people[k].email for k in ("aalborg", "hjoerring", "odense")}
    assert {n.user.email for n in told} == expected  # not the sender
    assert {m.to_address for m in mails} == expected
    assert message.recipients == 3
    notice = told[0]
    assert notice.subject == "Netværket for EURES: Nye regler for EU-borgere"
    assert notice.link == f"/specialomraader/eures/netvaerk#besked-{message.id}"
    assert all(m.ics is None for m in mails)


def test_a_key_person_writes_to_one_regions_part(people, country):
    network.send(
        people["odense"],
        EURES,
        kind=MessageKind.message,
        subject="Grænsependlere",
        body="Hvem har erfaring?",
        region_id=country["north"].id,
    )
    db.session.commit()
    told = db.session.scalars(sa.select(Notification.user_id)).all()
    assert sorted(told) == sorted(
        [people["aalborg"].id, people["hjoerring"].id, people["staff"].id]
    )


def test_a_meeting_invitation_carries_an_ics_each_calendar_reads(people):
    day = working_day(20)
    message = network.send(
        people["aalborg"],
        EURES,
        kind=MessageKind.meeting,
        subject="Netværksmøde om EURES",
        body="Dagsorden følger.",
        meeting=MeetingInput(
            day=day, start=time(10), end=time(12, 30), place="Jobcenter Aalborg, lok. 3"
        ),
    )
    db.session.commit()
    mails = db.session.scalars(sa.select(OutboxMail)).all()
    assert {m.to_address for m in mails} == {
        people[k].email for k in ("hjoerring", "odense", "staff")
    }
    uids = set()
    for mail in mails:
        assert mail.ics_method == "REQUEST"
        calendar = icalendar.Calendar.from_ical(mail.ics)
        assert str(calendar["METHOD"]) == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == message.starts_at
        assert event.decoded("DTEND") == message.ends_at
        assert str(event["SUMMARY"]) == "Netværksmøde om EURES"
        assert str(event["LOCATION"]) == "Jobcenter Aalborg, lok. 3"
        assert str(event["ATTENDEE"]).lower() == f"mailto:{mail.to_address}"
        uids.add(str(event["UID"]))
    assert len(uids) == len(mails)  # one UID per person and meeting
    local = message.starts_at.astimezone(COPENHAGEN)
    assert (local.date(), local.time()) == (day, time(10))


def test_someone_outside_the_network_cannot_send(people):
    for outsider in ("colleague", "disability", "other_staff"):
        with pytest.raises(network.NetworkError) as caught:
            network.send(
                people[outsider],
                EURES,
                kind=MessageKind.message,
                subject="Hej",
                body="Må jeg være med?",
            )
        assert caught.value.code == "not_allowed"
    assert db.session.scalars(sa.select(NetworkMessage)).all() == []


def test_a_key_person_whose_link_no_longer_counts_is_left_out(people):
    people["odense"].active = False
    db.session.commit()
    assert "Heidi Nissen" not in _names(m.user for m in network.members(EURES))


@pytest.mark.parametrize(
    ("meeting", "code"),
    [
        (None, "meeting_time"),
        (("past", time(10), time(12)), "meeting_in_past"),
        ((20, time(12), time(10)), "bad_meeting"),
    ],
)
def test_an_impossible_meeting_is_refused_and_nothing_is_sent(people, meeting, code):
    if meeting is not None:
        day = working_day(-5) if meeting[0] == "past" else working_day(meeting[0])
        meeting = MeetingInput(day=day, start=meeting[1], end=meeting[2])
    with pytest.raises(network.NetworkError) as caught:
        network.send(
            people["staff"],
            EURES,
            kind=MessageKind.meeting,
            subject="Møde",
            body="",
            meeting=meeting,
        )
    assert caught.value.code == code
    db.session.rollback()
    assert db.session.scalars(sa.select(OutboxMail)).all() == []
    assert db.session.scalars(sa.select(NetworkMessage)).all() == []
