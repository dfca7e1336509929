"""The English switch: dates in the reader's language, and the choice kept on the
account (so their notifications and mails can follow it)."""

from datetime import datetime

from flask_babel import force_locale

from core.clock import COPENHAGEN, today
from core.db import db
from core.templating import date_time, long_date


def _seventh_of_december() -> datetime:
    return datetime(today().year + 1, 12, 7, 9, 0, tzinfo=COPENHAGEN)


def test_dates_read_the_way_each_language_writes_them(app):
    moment = _seventh_of_december()
    year = moment.year
    with force_locale("en"):
        assert date_time(moment) == f"7 December {year}, 09:00"
        assert long_date(moment) == f"7 December {year}"
    with force_locale("da"):
        assert date_time(moment) == f"7. december {year} kl. 09:00"
        assert long_date(moment.date()) == f"7. december {year}"


def test_the_language_chosen_is_kept_on_the_account(app, client, login_as):
    person = login_as("employee")
    assert person.language == "da"
    client.post("/sprog/en", data={"next": "/"})
    db.session.refresh(person)
    assert person.language == "en"
    # A new browser (no session language) opens in the account's language.
    with client.session_transaction() as sess:
        sess.pop("language")
    assert 'lang="en"' in client.get("/").text
