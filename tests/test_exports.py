"""Every export offers both files people open in a spreadsheet: CSV as Danish
Excel opens it directly (UTF-8 with a BOM, semicolons) and an .xlsx workbook with
the same header. Found from the route map (every route with a <fmt>), so a new
export is checked without being listed here."""

import csv
import io

from openpyxl import load_workbook

from tests.routes import seed_demo, sign_in, urls_for
from tests.test_crawl import ROLES
from tests.test_get_reads_only import reachable

BOM = "\ufeff".encode()
# Exports that need a question before they have an answer: the query they get.
QUESTIONS = {
    "learning.reports.purchase.export": "?budget=100.000",
}


def export_rules(app) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if "fmt" in r.arguments),
        key=lambda r: r.rule,
    )


def _csv_header(body: bytes) -> list[str]:
    assert body.startswith(BOM)
    text = body.decode("utf-8-sig")
    first = text.splitlines()[0]
    assert ";" in first or "," not in first, first  # semicolons, as Danish Excel
    return next(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_header(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    first = next(sheet.iter_rows(values_only=True))
    return [str(v) for v in first if v is not None]


def test_every_export_offers_danish_csv_and_a_workbook(app, client):
    demo = seed_demo(app)
    rules = export_rules(app)
    assert len(rules) >= 8
    answered: dict[str, list] = {}
    adapter = app.url_map.bind("localhost")
    for role in ROLES:
        person = demo[role]
        sign_in(client, person)
        urls = urls_for(app, reachable(person) | {"fmt": ["csv"]})
        for rule in rules:
            if rule.endpoint in answered:
                continue
            for url in [u for u in urls if adapter.match(u)[0] == rule.endpoint]:
                query = QUESTIONS.get(rule.endpoint, "")
                as_csv = client.get(url + query)
                if as_csv.status_code != 200:
                    continue
                base = url[: -len("csv")]
                as_xlsx = client.get(base + "xlsx" + query)
                assert as_xlsx.status_code == 200, url
                answered[rule.endpoint] = [
                    url,
                    _csv_header(as_csv.data),
                    _xlsx_header(as_xlsx.data),
                ]
                break
    missing = [r.rule for r in rules if r.endpoint not in answered]
    assert missing == [], "no demo role got a CSV from these"
    for url, csv_header, xlsx_header in answered.values():
        assert csv_header, url
        assert set(csv_header) <= set(xlsx_header), url
