""" "Mine tilmeldinger" keeps each give-up dialog's markup per kind with holes for
the booking's own values (issue 19): one person's page after another's shows
their own courses, dates, places and addresses, never the first page's."""

import re
from datetime import timedelta

from core.db import db, utcnow
from courses.bookings import services
from tests.dates import danish

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_each_persons_dialogs_hold_their_own_values(
    client, login_as, make_session, make_course, make_employee
):
    soon = utcnow() + timedelta(days=20)
    later = utcnow() + timedelta(days=40)
    first_cs = make_session(
        course=make_course(title="Første kursus"),
        capacity=1,
        start=soon,
        cancellation_deadline=soon - timedelta(days=5),
    )
    second_cs = make_session(
        course=make_course(title="Andet kursus & co"),
        capacity=1,
        start=later,
        cancellation_deadline=later - timedelta(days=3),
    )
    first, second, third = make_employee(), make_employee(), make_employee()
    seats = [services.book(first, first_cs), services.book(second, second_cs)]
    queued = [services.book(third, first_cs), services.book(first, second_cs)]
    queued.append(services.book(second, first_cs))
    db.session.commit()

    login_as(first)
    page_one = client.get("/tilmeldinger/").text
    login_as(second)
    page_two = client.get("/tilmeldinger/").text

    # The seat's dialog: its own booking's address, course, date and deadline.
    assert f'id="give-up-{seats[0].id}"' in page_one
    assert f'action="/tilmeldinger/{seats[0].id}/afmeld"' in page_one
    assert f"Første kursus, {danish(soon)}" in page_one
    assert f"({danish(soon - timedelta(days=5))})" in page_one
    assert f'id="give-up-{seats[1].id}"' in page_two
    assert f'action="/tilmeldinger/{seats[1].id}/afmeld"' in page_two
    assert f"Andet kursus &amp; co, {danish(later)}" in page_two
    assert f"({danish(later - timedelta(days=3))})" in page_two
    assert f"give-up-{seats[0].id}" not in page_two
    assert f"Første kursus, {danish(soon)}" in page_two
    # The waiting list's place is the person's own: first is number 1 on the
    # second session, second number 2 on the first.
    assert "Andet kursus &amp; co, " + danish(later) in page_one
    assert "mister din plads (nummer 1)" in page_one
    assert "mister din plads (nummer 2)" in page_two
    assert "nummer 1)" not in page_two
    # Every form on a page carries the page's own token (the frame's too).
    assert len(set(TOKEN.findall(page_one))) == 1
    assert len(set(TOKEN.findall(page_two))) == 1
