"""The provider's calendar page, the upload, the preview and applying it, over HTTP."""

import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.db import db
from courses.calendars import imports
from courses.calendars.errors import MESSAGES
from courses.calendars.models import CalendarImport
from courses.catalogue.models import Course, CourseStatus, Provider
from courses.sessions.models import CourseSession, Meeting
from tests.courses.calendars.icsfiles import (
    NOVEMBER,
    YEAR,
    calendar,
    cph,
    danish,
    dec,
    event,
    nov,
)

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.ics"))
GOOD = calendar(
    event(
        "one@udbyder",
        cph(f"{nov(10)}T090000"),
        cph(f"{nov(10)}T150000"),
        "Samtaler med unge",
        location=":Vejle",
    ),
    event(
        "two@udbyder",
        cph(f"{nov(5)}T130000"),
        cph(f"{nov(5)}T160000"),
        "Virksomhedskontakt",
        rrule=":FREQ=WEEKLY;COUNT=3",
    ),
)


def page_url(provider) -> str:
    return f"/udbyder/{provider.id}/kalender"


def upload(client, provider, data: bytes, name="kalender.ics", **extra):
    return client.post(
        page_url(provider),
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Course, CourseSession, Meeting, CalendarImport)
    )


@pytest.fixture
def staff(login_as, make_provider):
    def sign_in():
        user = login_as("provider_staff")
        return user, make_provider(user, name="VIA UC")

    return sign_in


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own_staff", 200),
        ("other_staff", 403),
        ("employee", 403),
        ("manager", 403),
        ("coordinator", 403),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_calendar_page_access(
    client, login_as, create_user, make_provider, who, status
):
    owner = create_user("provider_staff")
    provider = make_provider(owner)
    stored, _events = imports.store(owner, provider, GOOD)
    db.session.commit()
    if who == "own_staff":
        login_as(owner)
    elif who == "other_staff":
        make_provider(login_as("provider_staff"))
    elif who != "anonymous":
        login_as(who)

    assert client.get(page_url(provider)).status_code == status
    assert client.get(f"{page_url(provider)}/import/{stored.id}").status_code == status


def test_page_shows_and_advertises_the_public_feed(client, staff):
    _user, provider = staff()
    response = client.get(page_url(provider))
    feed = f"http://localhost/kalender/udbyder/{provider.id}.ics"
    assert '<link rel="alternate" type="text/calendar"' in response.text
    assert feed in response.text
    assert feed.replace("http://", "webcal://") in response.text


def test_upload_preview_and_apply(client, staff):
    _user, provider = staff()

    response = upload(client, provider, GOOD)

    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200
    assert "Samtaler med unge" in preview.text
    assert "Hold, der oprettes: 2" in preview.text
    assert "Nyt kursus (kladde): Virksomhedskontakt" in preview.text
    assert counts()[:3] == (0, 0, 0)  # nothing saved by the preview

    applied = client.post(response.headers["Location"], follow_redirects=True)

    assert "2 nye" in applied.text
    sessions = db.session.scalars(sa.select(CourseSession)).all()
    assert sorted(len(s.meetings) for s in sessions) == [1, 3]
    again = client.get(upload(client, provider, GOOD).headers["Location"])
    assert "Uændrede: 2" in again.text
    assert "Hold, der oprettes: 0" in again.text


def test_preview_shows_a_moved_meeting(client, staff):
    _user, provider = staff()
    client.post(upload(client, provider, GOOD).headers["Location"])
    moved = GOOD.replace(f"{nov(10)}T090000".encode(), f"{nov(10)}T100000".encode())

    preview = client.get(upload(client, provider, moved).headers["Location"])

    assert "Hold, der ændres: 1" in preview.text
    assert "Flyttet:" in preview.text
    assert f"{danish(NOVEMBER[10])} kl. 09:00" in preview.text
    assert f"{danish(NOVEMBER[10])} kl. 10:00" in preview.text


def test_applied_import_cannot_be_replayed(client, staff):
    _user, provider = staff()
    url = upload(client, provider, GOOD).headers["Location"]
    client.post(url)
    rows = counts()

    replay = client.post(url)

    assert replay.status_code == 302
    assert counts() == rows


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_malformed_corpus_gets_a_danish_message(client, staff, path):
    _user, provider = staff()
    code = path.stem.split("--")[0]
    rows = counts()

    response = upload(client, provider, path.read_bytes(), name=path.name)

    assert response.status_code == 400
    with client.application.test_request_context():
        from flask_babel import force_locale

        with force_locale("da"):
            expected = str(MESSAGES[code])
    assert expected.split(":")[0].replace("'", "&#39;") in response.text
    assert counts() == rows


def test_error_names_the_line_and_the_event(client, staff):
    _user, provider = staff()
    data = calendar(event("broken@udbyder", cph(f"{YEAR}1310T090000")))

    response = upload(client, provider, data)

    assert response.status_code == 400
    assert "Linje" in response.text
    assert "broken@udbyder" in response.text
    assert "En dato" in response.text


def test_missing_file_is_a_field_error(client, staff):
    _user, provider = staff()
    response = client.post(
        page_url(provider), data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Vælg en kalenderfil" in response.text


def test_huge_upload_gets_a_danish_413(client, staff, app, monkeypatch):
    _user, provider = staff()
    monkeypatch.setitem(app.config, "CALENDAR_IMPORT_MAX_BYTES", 10_000)
    rows = counts()

    response = upload(client, provider, GOOD + b"X" * 200_000)

    assert response.status_code == 413
    assert "Filen er for stor" in response.text
    assert counts() == rows


def test_file_over_the_limit_but_under_the_envelope_is_a_form_error(
    client, staff, app, monkeypatch
):
    _user, provider = staff()
    monkeypatch.setitem(app.config, "CALENDAR_IMPORT_MAX_BYTES", 1_000)

    response = upload(client, provider, GOOD + b" " * 2_000)

    assert response.status_code == 400
    assert "Filen er for stor" in response.text


def test_preview_queries_do_not_grow_with_the_file(client, staff, count_queries):
    _user, provider = staff()
    small = calendar(event("a@x", cph(f"{nov(10)}T090000"), cph(f"{nov(10)}T100000")))
    large = calendar(
        *(
            event(
                f"e{i}@x",
                cph(f"{nov(10 + i % 15)}T0{i % 9}0000"),
                cph(f"{nov(10 + i % 15)}T1{i % 9}0000"),
                f"Kursus {i % 4}",
            )
            for i in range(40)
        )
    )
    urls = [upload(client, provider, d).headers["Location"] for d in (small, large)]
    client.post(urls[0])

    found = []
    for url in urls[1:] + [upload(client, provider, small).headers["Location"]]:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        found.append(len(queries))

    assert found[0] == found[1]


@pytest.mark.parametrize(("who", "status"), [("admin", 302), ("provider_staff", 403)])
def test_only_admins_register_a_feed_url(client, login_as, make_provider, who, status):
    user = login_as(who)
    provider = make_provider(user)

    response = client.post(
        f"{page_url(provider)}/feed",
        data={"feed_url": "https://udbyder.example/kalender.ics"},
    )

    assert response.status_code == status
    saved = db.session.get(Provider, provider.id).feed_url
    assert (saved == "https://udbyder.example/kalender.ics") == (status == 302)


def test_feed_url_must_be_a_web_address(client, login_as, make_provider):
    provider = make_provider(login_as("admin"))
    response = client.post(
        f"{page_url(provider)}/feed",
        data={"feed_url": "file:///etc/passwd"},
        follow_redirects=True,
    )
    assert "https://" in response.text
    assert db.session.get(Provider, provider.id).feed_url == ""


def test_the_preview_chooses_a_course_per_category_and_applies_it(
    client, staff, make_course
):
    _user, provider = staff()
    course = make_course(provider, title="Jura i jobcentret")
    data = calendar(
        *(
            event(
                f"jura-{n}@x",
                cph(f"{nov(10 + n)}T090000"),
                cph(f"{nov(10 + n)}T120000"),
                f"Jura, hold {n}",
                categories=":Jura",
            )
            for n in range(3)
        ),
        event("andet@x", cph(f"{nov(20)}T090000"), cph(f"{nov(20)}T120000"), "Andet"),
    )
    location = upload(client, provider, data).headers["Location"]

    preview = client.get(location)
    assert "Kursus for kategorien “Jura”" in preview.text
    assert "Nye kurser som kladder, ét pr. titel (3)" in preview.text
    by_title = client.get(location + "?efter=titel")
    assert "Kursus for “Jura, hold 0”" in by_title.text
    assert "Kursus for kategorien" not in by_title.text

    jura = imports.choice_key(imports.BY_CATEGORY, "Jura")
    andet = imports.choice_key(imports.BY_TITLE, "Andet")
    applied = client.post(
        location,
        data={"group_by": "category", jura: str(course.id), andet: "skip"},
        follow_redirects=True,
    )

    assert "3 nye" in applied.text
    sessions = db.session.scalars(sa.select(CourseSession)).all()
    assert {s.course_id for s in sessions} == {course.id}
    assert len(sessions) == 3


def big_file(hour: int) -> bytes:
    # Days in every month of a year that lies wholly ahead.
    days = [f"{YEAR + 1}{1 + n % 12:02d}{1 + n % 28:02d}" for n in range(1000)]
    return calendar(
        *(
            event(
                f"stor-{n}@x",
                cph(f"{day}T{hour:02d}{n % 60:02d}00"),
                cph(f"{day}T15{n % 60:02d}00"),
                f"Kursus nummer {n % 10}",
            )
            for n, day in enumerate(days)
        )
    )


def test_a_large_file_makes_a_preview_of_groups_not_of_thousands_of_rows(
    client, staff, make_course, create_user, make_booking
):
    _user, provider = staff()
    for n in range(20):
        make_course(provider, title=f"Eksisterende kursus {n}")
    location = upload(client, provider, big_file(hour=9)).headers["Location"]

    preview = client.get(location)

    assert "Hold, der oprettes: 1000" in preview.text
    assert preview.text.count("<select") == 10
    assert "… og 75 hold mere i denne gruppe." in preview.text
    assert len(preview.data) < 1_000_000

    client.post(location)
    last = db.session.scalar(
        sa.select(CourseSession).where(CourseSession.provider_uid == "stor-999@x")
    )
    make_booking(create_user("employee"), last)
    last.seats_taken = 1  # make_booking writes the row only
    db.session.commit()
    moved = client.get(upload(client, provider, big_file(hour=10)).headers["Location"])

    assert "Hold, der ændres: 1000" in moved.text
    assert "… og 800 hold mere." in moved.text
    # The one session with a booking is listed, although it is the file's last.
    assert moved.text.count("De tilmeldte får besked.") == 1
    assert len(moved.data) < 1_000_000


def test_preview_shows_all_day_and_floating_events(client, staff):
    _user, provider = staff()
    data = calendar(
        event("day@x", f";VALUE=DATE:{dec(3)}", f";VALUE=DATE:{dec(5)}", "Seminar"),
        event("float@x", f":{dec(10)}T090000", f":{dec(10)}T120000", "Flydende"),
    )

    preview = client.get(upload(client, provider, data).headers["Location"])

    assert (
        f"{danish(date(YEAR, 12, 3))} – {danish(date(YEAR, 12, 4))} (hele dagen)"
        in (preview.text)
    )
    assert "Filen angiver ingen tidszone" in preview.text
    assert f"{danish(date(YEAR, 12, 10))} kl. 09:00–12:00" in preview.text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own_staff", 302),
        ("employee", 403),
        ("coordinator", 403),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_calendar_import_entry_page(client, login_as, make_provider, who, status):
    if who == "own_staff":
        provider = make_provider(login_as("provider_staff"))
    elif who != "anonymous":
        login_as(who)
        provider = make_provider(name="Udbyder til oversigten")
        make_provider(name="En anden udbyder")
    else:
        provider = make_provider()

    response = client.get("/udbyder/kalender")

    assert response.status_code == status
    if who == "own_staff":
        assert response.headers["Location"].endswith(page_url(provider))
    if who == "admin":
        assert "Udbyder til oversigten" in response.text


def test_an_imported_all_day_event_shows_and_publishes_as_whole_days(client, staff):
    _user, provider = staff()
    data = calendar(
        event("dage@x", f";VALUE=DATE:{dec(3)}", f";VALUE=DATE:{dec(5)}", "Seminar"),
        event("dag@x", f";VALUE=DATE:{dec(8)}", "", "Temadag"),
    )
    location = upload(client, provider, data).headers["Location"]
    client.post(location)
    courses = {c.title: c for c in db.session.scalars(sa.select(Course))}
    # The imported courses are drafts; published, their meetings are in the feed.
    db.session.execute(sa.update(Course).values(status=CourseStatus.published))
    db.session.commit()

    two_days = client.get(f"/kurser/{courses['Seminar'].id}")
    one_day = client.get(f"/kurser/{courses['Temadag'].id}")
    feed = client.get(f"/kalender/udbyder/{provider.id}.ics")

    assert f"hele dagen, til og med {danish(date(YEAR, 12, 4))}" in two_days.text
    assert "00:00" not in two_days.text
    assert "hele dagen" in one_day.text
    assert "til og med" not in one_day.text
    lines = feed.data.decode().replace("\r\n ", "").split("\r\n")
    assert f"DTSTART;VALUE=DATE:{dec(3)}" in lines
    assert f"DTEND;VALUE=DATE:{dec(5)}" in lines
    assert f"DTSTART;VALUE=DATE:{dec(8)}" in lines
