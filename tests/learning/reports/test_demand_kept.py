"""The jobcentre's demand report is kept by each worker for a few minutes
(learning/reports/kept.py): the page says when it was computed and how long a
change may take to show, and a change shows once that time is up, not before.

The world is the purchase plan's (tests/learning/reports/purchase/conftest.py):
weighted gap 19 in all; Pia rated at 0 in B-A1 (target 3, priority 1) adds 3.
"""

from datetime import datetime, time, timedelta

import pytest

from learning.assessments.models import RatingSource
from learning.reports.kept import KeptReports
from tests.dates import ahead, danish

MINUTES = 5


@pytest.fixture
def keeping(app, monkeypatch):
    """Reports kept for five minutes, in a store of this test's own."""
    monkeypatch.setitem(app.config, "DEMAND_REPORT_SECONDS", MINUTES * 60)
    monkeypatch.setitem(app.extensions, "kept_reports", KeptReports())


def test_a_new_rating_shows_once_the_kept_report_is_due(
    client, login_as, world, keeping, travel, rate, small_framework
):
    day = ahead(1)
    start = travel(datetime.combine(day, time(10, 0)))
    login_as(world.coordinator)
    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    assert "Vægtet gab i alt: 19." in page
    assert f"Beregnet {danish(day)} kl. 10:00." in page
    assert "senest 5 minutter senere" in page

    rate(small_framework, world.pia, RatingSource.self, {"B-A1": 0}, day=2)

    travel(start + timedelta(minutes=MINUTES) - timedelta(seconds=1))
    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    assert "Vægtet gab i alt: 19." in page  # kept, and says since when
    assert "kl. 10:00." in page
    # The export is the same kept report: need it 5, below 1, weighted 1.
    csv = client.get("/rapporter/efterspoergsel/eksport.csv?tabel=kompetencer")
    row = csv.get_data(as_text=True).split("B-A1")[1].splitlines()[0]
    assert row.endswith(";5;1;1;1;4")

    travel(start + timedelta(minutes=MINUTES))
    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    assert "Vægtet gab i alt: 22." in page
    assert f"Beregnet {danish(day)} kl. 10:05." in page
    csv = client.get("/rapporter/efterspoergsel/eksport.csv?tabel=kompetencer")
    row = csv.get_data(as_text=True).split("B-A1")[1].splitlines()[0]
    assert row.endswith(";5;2;4;4;3")


def test_without_keeping_every_request_computes(
    client, login_as, world, travel, rate, small_framework
):
    day = ahead(1)
    travel(datetime.combine(day, time(10, 0)))
    login_as(world.coordinator)
    assert "Vægtet gab i alt: 19." in client.get("/rapporter/efterspoergsel").text

    rate(small_framework, world.pia, RatingSource.self, {"B-A1": 0}, day=2)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    assert "Vægtet gab i alt: 22." in page
    assert f"Beregnet {danish(day)} kl. 10:00." in page
    assert "minutter senere" not in page
