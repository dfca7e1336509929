"""Danish dates, times and amounts, shown in Copenhagen time."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from flask_babel import force_locale

from core.templating import clock, date_time, long_date, money, price
from tests import dates


def test_money_uses_danish_separators(app):
    with app.test_request_context():
        assert money(Decimal("4500")) == "4.500,00 kr."
        assert money(None) == ""


def test_dates_are_danish(app):
    with app.test_request_context():
        assert long_date(date(2026, 3, 3)) == "3. marts 2026"


def test_pages_write_every_date_in_one_long_danish_form(app):
    with app.test_request_context():
        rendered = app.jinja_env.from_string(
            "{{ d | long_date }} / {{ d | short_date }}"
        ).render(d=date(2027, 4, 7))
    assert rendered == "7. april 2027 / 7. april 2027"


def test_a_free_course_says_gratis_and_a_paid_one_its_price(app):
    with app.test_request_context():
        assert price(Decimal("0.00")) == "Gratis"
        assert price(0) == "Gratis"
        assert price(Decimal("1250.5")) == "1.250,50 kr."
        assert price(None) == ""
        assert money(Decimal("0")) == "0,00 kr."  # budgets and sums stay amounts


def test_instants_are_shown_in_copenhagen_time_across_daylight_saving(app):
    summer = datetime(2026, 10, 24, 7, 0, tzinfo=UTC)  # CEST, UTC+2
    winter = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET, UTC+1
    with app.test_request_context():
        assert clock(summer) == "09:00"
        assert clock(winter) == "09:00"
        assert date_time(summer) == "24. oktober 2026 kl. 09:00"


def test_a_late_evening_instant_is_dated_by_its_copenhagen_day(app):
    # 23:30 UTC on New Year's Eve is 00:30 on New Year's Day in Copenhagen; a
    # naive datetime is UTC, as Flask-Babel takes it.
    year = dates.today().year + 1
    late = datetime(year, 12, 31, 23, 30, tzinfo=UTC)
    with app.test_request_context():
        assert long_date(late) == f"1. januar {year + 1}"
        assert long_date(late.replace(tzinfo=None)) == f"1. januar {year + 1}"
        assert clock(late.replace(tzinfo=None)) == "00:30"


def test_kept_date_texts_follow_the_language_in_force(app):
    # The same day and minute in Danish, in English, and in Danish again: the
    # texts kept per day are kept per language as well.
    # The third of May in the coming year, 07:15 UTC: 09:15 in summer time.
    year = dates.today().year + 1
    day = datetime(year, 5, 3, 7, 15, tzinfo=UTC)
    with app.test_request_context():
        assert long_date(day) == f"3. maj {year}"
        with force_locale("en"):
            assert long_date(day) == f"3 May {year}"
            assert date_time(day) == f"3 May {year}, 09:15"
        assert date_time(day) == f"3. maj {year} kl. 09:15"


def test_english_dates_when_the_language_is_english(app):
    with app.test_request_context(), force_locale("en"):
        assert long_date(date(2026, 3, 3)) == "3 March 2026"  # no Danish ordinal dot


def test_translations_work_outside_a_request_in_danish(app):
    from flask_babel import gettext

    assert gettext("Dashboard") == "Forside"


def test_kept_labels_follow_the_language_in_force(app):
    from flask_babel import lazy_gettext

    from core.templating import kept_label

    labels = {"home": lazy_gettext("Dashboard")}
    with app.test_request_context():
        assert kept_label(labels, "home") == "Forside"
        with force_locale("en"):
            assert kept_label(labels, "home") == "Dashboard"
        assert kept_label(labels, "home") == "Forside"
    assert kept_label(labels, "home") == "Forside"  # outside a request: Danish


def test_current_locale_answers_what_flask_babel_would(app):
    from flask_babel import get_locale

    from core.extensions import current_locale

    with app.test_request_context():
        first = current_locale()  # the request's first ask chooses
        assert str(first) == "da"
        assert first is get_locale()
        with force_locale("en"):
            assert str(current_locale()) == "en"
            assert current_locale() is get_locale()
        assert current_locale() is first


def test_a_templates_text_follows_the_language_in_force(app):
    texts = app.jinja_env.from_string("{{ _('Notifications') }}")
    with app.test_request_context():
        first = texts.render()
        with force_locale("en"):
            english = texts.render()
        again = texts.render()
    with app.test_request_context(), force_locale("en"):
        next_request = texts.render()

    assert (first, english, again) == ("Notifikationer", "Notifications", first)
    assert next_request == "Notifications"


def test_a_templates_text_escapes_its_values_and_reads_double_percent(app):
    page = app.jinja_env.from_string(
        "{{ _('Sessions of %(title)s', title=title) }} | {{ _('100 %% sikkert') }}"
    )
    with app.test_request_context():
        shown = [page.render(title=title) for title in ("<b>Kursus</b>", "Æble")]

    assert shown[0] == "Hold på &lt;b&gt;Kursus&lt;/b&gt; | 100 % sikkert"
    assert shown[1] == "Hold på Æble | 100 % sikkert"


def test_a_plain_text_templates_text_is_not_escaped(app):
    plain = app.jinja_env.overlay(autoescape=False).from_string(
        "{{ _('Sessions of %(title)s', title=title) }}"
    )
    with app.test_request_context():
        assert plain.render(title="<Kursus>") == "Hold på <Kursus>"


def test_templates_translate_literal_texts_only():
    """Each worker keeps the templates' texts (core.templating._text); a text
    read from the database would grow what it keeps without bound."""
    not_literal = re.compile(r"(?<![\w.])(?:_|gettext)\(\s*(?![\"'\s])")
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = [
        f"{path.relative_to(templates)}:{text.count(chr(10), 0, hit.start()) + 1}"
        for path in sorted(templates.rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for hit in not_literal.finditer(text)
    ]
    assert found == []
