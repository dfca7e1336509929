"""The reports' pages are tested on the purchase plan's jobcentre (purchase/
conftest.py): its fixtures, offered to every test here."""

from tests.learning.reports.purchase.conftest import link, world  # noqa: F401
