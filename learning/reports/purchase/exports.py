"""The purchase plan as a spreadsheet: the optimal plan's seats (CSV), and in
Excel also the summary beside the simple choice and the simple choice's seats,
with the same numbers as the page."""

from collections.abc import Iterable, Sequence

from flask import Response
from flask_babel import lazy_gettext as _l

from core import clock
from core.tables import KRONER, WHOLE, XLSX_TYPE, Sheet, write_xlsx_book
from learning.reports.purchase.services import Result, SessionRow

SEAT_COLUMNS = (
    _l("Course"),
    _l("First day"),
    _l("Place"),
    _l("Person"),
    _l("Team"),
    _l("Price (kr.)"),
    _l("Gap closed"),
    _l("Competences raised"),
)
SUMMARY_COLUMNS = (
    _l("Plan"),
    _l("Sessions"),
    _l("Seats"),
    _l("People"),
    _l("Cost (kr.)"),
    _l("Gap closed"),
    _l("Gap left"),
    _l("Most any plan can close"),
)


def seat_columns() -> list[str]:
    return [str(c) for c in SEAT_COLUMNS]


def seat_rows(sessions: Iterable[SessionRow]) -> list[tuple]:
    """One row per seat, session by session, as the page lists them."""
    rows = []
    for group in sessions:
        for row in group.rows:
            cs = row.course_session
            rows.append(
                (
                    cs.course.title,
                    clock.local_date(cs.starts_at).isoformat() if cs.starts_at else "",
                    cs.location,
                    row.person.name,
                    row.person.team.name if row.person.team else "",
                    row.price,
                    row.gain,
                    ", ".join(
                        f"{r.competence.code} {r.current}→{r.reached}"
                        for r in row.raised
                    ),
                )
            )
    return rows


def _summary(result: Result) -> Sheet:
    columns = [str(c) for c in SUMMARY_COLUMNS]
    rows = []
    for name, choice, bound in (
        (_l("Optimal plan"), result.best, result.best.bound),
        (_l("Simple choice (most gap per krone)"), result.greedy, None),
    ):
        f = result.figures(choice)
        rows.append(
            (str(name), f.sessions, f.seats, f.people, f.cost, f.gain, f.gap_left)
            + (bound,)
        )
    whole = {c: WHOLE for c in columns[1:4] + columns[5:]}
    return Sheet(
        str(_l("Optimal and simple")), columns, rows, whole | {columns[4]: KRONER}
    )


def workbook(result: Result, greedy_sessions: Sequence[SessionRow], name: str):
    """The .xlsx download: the plan's seats, the summary, the simple choice's."""
    columns = seat_columns()
    formats = {columns[5]: KRONER, columns[6]: WHOLE}
    body = write_xlsx_book(
        [
            Sheet(
                str(_l("Purchase plan")),
                columns,
                seat_rows(result.sessions),
                formats,
            ),
            _summary(result),
            Sheet(
                str(_l("Simple choice")),
                columns,
                seat_rows(greedy_sessions),
                formats,
            ),
        ]
    )
    return Response(
        body,
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
