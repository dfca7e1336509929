"""The network's page: only the area's key persons and specialist staff open it
and write to it; what they send reaches the network, and bad input is a Danish
400 that sends nothing."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.notifications.models import OutboxMail
from core.people.models import KeyPerson, SpecialistArea, UnitKind
from core.people.specialists import SpecialistFunction, add_staff
from tests.dates import working_day

URL = "/specialomraader/eures/netvaerk"
pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def network(create_unit, create_user):
    region = create_unit(UnitKind.region, name="Region Nord")
    aalborg = create_unit(UnitKind.jobcentre, name="Jobcenter Aalborg", parent=region)
    skagen = create_unit(UnitKind.jobcentre, name="Jobcenter Skagen", parent=region)

    def employee(jobcentre, name):
        return create_user("employee", team=create_unit(parent=jobcentre), name=name)

    people = {
        "key": employee(aalborg, "Malene Kragh"),
        "other_key": employee(skagen, "Søren Ørsted"),
        "staff": employee(aalborg, "Søs Specialist"),
        "disability_key": employee(skagen, "Rikke Johansen"),
        "colleague": employee(aalborg, "Brian Nørgaard"),
    }
    db.session.add_all(
        [
            KeyPerson(user=people["key"], area=SpecialistArea.eures, jobcentre=aalborg),
            KeyPerson(
                user=people["other_key"], area=SpecialistArea.eures, jobcentre=skagen
            ),
            KeyPerson(
                user=people["disability_key"],
                area=SpecialistArea.disability,
                jobcentre=skagen,
            ),
        ]
    )
    function = SpecialistFunction(
        area=SpecialistArea.eures, region=region, name="EURES Nordjylland"
    )
    db.session.add(function)
    db.session.flush()
    add_staff(None, function, people["staff"])
    db.session.commit()
    return people


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("key", 200),
        ("staff", 200),
        ("colleague", 403),
        ("disability_key", 403),
    ],
)
def test_who_opens_the_network(client, login_as, network, who, status):
    login_as(network[who])
    assert client.get(URL).status_code == status
    answer = client.post(
        f"{URL}/send", data={"kind": "message", "subject": "Hej", "body": "Hej"}
    )
    assert answer.status_code == (302 if status == 200 else 403)


def test_an_unknown_area_is_404(client, login_as, network):
    login_as(network["key"])
    assert client.get("/specialomraader/skak/netvaerk").status_code == 404


def test_the_page_shows_the_function_staff_and_the_key_persons(
    client, login_as, network
):
    login_as(network["key"])
    text = client.get(URL).get_data(as_text=True)
    assert "Netværket for EURES" in text
    for name in (
        "Søs Specialist",
        "Søren Ørsted",
        "EURES Nordjylland",
        "Jobcenter Skagen",
    ):
        assert name in text
    assert "Rikke Johansen" not in text


def test_an_invitation_sent_from_the_page_reaches_the_network(
    client, login_as, network
):
    login_as(network["key"])
    answer = client.post(
        f"{URL}/send",
        data={
            "kind": "meeting",
            "region_id": "",
            "subject": "Netværksmøde",
            "body": "Vi ses i Aalborg.",
            "day": working_day(15).isoformat(),
            "start": "10:00",
            "end": "12:00",
            "place": "Lokale 3",
        },
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    assert "Sendt til 2 personer i netværket." in text
    assert "Netværksmøde" in text  # the page lists it
    mails = db.session.scalars(sa.select(OutboxMail)).all()
    assert {m.to_address for m in mails} == {
        network["other_key"].email,
        network["staff"].email,
    }
    assert all("BEGIN:VEVENT" in m.ics for m in mails)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "message", "subject": "", "body": "x"}, "Emne"),
        ({"kind": "message", "subject": "Hej", "body": ""}, "Skriv beskeden."),
        (
            {"kind": "meeting", "subject": "Møde", "day": "", "start": "10:00"},
            "Giv mødet en dato, et starttidspunkt og et sluttidspunkt.",
        ),
        (
            {
                "kind": "meeting",
                "subject": "Møde",
                "day": working_day(-7).isoformat(),
                "start": "10:00",
                "end": "11:00",
            },
            "Mødet skal ligge ude i fremtiden.",
        ),
        (
            {
                "kind": "meeting",
                "subject": "Møde",
                "day": working_day(10).isoformat(),
                "start": "12:00",
                "end": "10:00",
            },
            "Mødet kan ikke holdes på det tidspunkt: det slutter, før det begynder.",
        ),
        ({"kind": "message", "subject": "Hej", "body": "x", "region_id": "abc"}, "Til"),
        ({"kind": "fax", "subject": "Hej", "body": "x"}, "Hvad du sender"),
        ({"kind": "message", "subject": "x" * 201, "body": "x"}, "Emne"),
    ],
)
def test_bad_input_is_a_danish_400_and_sends_nothing(
    client, login_as, network, data, message
):
    login_as(network["key"])
    answer = client.post(f"{URL}/send", data=data)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert db.session.scalars(sa.select(OutboxMail)).all() == []


def test_a_time_that_does_not_exist_is_refused(client, login_as, network):
    """WTForms reads '25:00' as no time: the Danish message names what is missing."""
    login_as(network["key"])
    answer = client.post(
        f"{URL}/send",
        data={
            "kind": "meeting",
            "subject": "Møde",
            "day": working_day(10).isoformat(),
            "start": "25:00",
            "end": "26:00",
        },
    )
    assert answer.status_code == 400
    assert db.session.scalars(sa.select(OutboxMail)).all() == []


def test_the_page_reads_a_fixed_number_of_rows(
    client, login_as, network, create_user, create_unit, count_queries
):
    login_as(network["key"])
    client.post(
        f"{URL}/send", data={"kind": "message", "subject": "Første", "body": "x"}
    )
    with count_queries() as few:
        client.get(URL)
    skagen = network["other_key"].team.parent
    for n in range(5):
        person = create_user("employee", team=network["other_key"].team, name=f"N {n}")
        db.session.add(
            KeyPerson(user=person, area=SpecialistArea.eures, jobcentre=skagen)
        )
        db.session.commit()
        client.post(
            f"{URL}/send", data={"kind": "message", "subject": f"S {n}", "body": "x"}
        )
    with count_queries() as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
