"""What the suggestion pages show for each ranked suggestion: the sessions, the
reasons in words, the seat or place in the queue, the booking a click would make."""

from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from core.people.models import User
from courses.bookings import services as bookings
from courses.sessions.models import CourseSession
from learning.competences.labels import localised
from learning.competences.models import Competence
from learning.matching import engine
from learning.matching.ranking import (
    Covered,
    SharedOffer,
    Suggestion,
    ordered_members,
)

PAGE_SIZE = 20


@dataclass
class Page:
    """One page of a ranked list, for the pagination macro."""

    items: list
    page: int
    total: int
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(items: list, page: int) -> Page | None:
    """The page'th slice, or None when the page is past the end."""
    result = Page([], page, len(items))
    if page > result.pages:
        return None
    start = (page - 1) * PAGE_SIZE
    result.items = items[start : start + PAGE_SIZE]
    return result


def arrows(covered: list[Covered], competences: dict[int, Competence]) -> str:
    """'Virksomhedsservice (2 → 3), Lovgivning (0 → 2)'."""
    return ", ".join(
        f"{localised(competences[c.competence_id])} ({c.current} → {c.reached})"
        for c in covered
    )


def reason(s: Suggestion, competences: dict[int, Competence]) -> str:
    """Why the session is suggested, in a sentence."""
    parts = []
    if s.covered:
        parts.append(
            ngettext(
                "Covers your one competence gap: %(list)s",
                "Covers %(count)d of your %(num)d competence gaps: %(list)s",
                s.open_gaps,
                count=len(s.covered),
                list=arrows(list(s.covered), competences),
            )
        )
    if s.module is not None:
        text = (
            _("The final project of %(diploma)s (%(ects)s ECTS)")
            if s.module.kind == "final_project"
            else _("Module %(code)s of %(diploma)s (%(ects)s ECTS)")
        )
        parts.append(
            text
            % {
                "diploma": s.module.diploma_title,
                "code": s.module.code,
                "ects": format_decimal(s.module.ects),
            }
        )
    return ". ".join(parts)


@dataclass
class Row:
    suggestion: Suggestion
    course_session: CourseSession
    reason: str
    queue_place: int | None  # the place a booking would get; None with seats left
    expect: str = "seat"  # what the booking form promises: seat, waitlist, request


def _sessions_and_places(
    offers,
) -> tuple[dict[int, CourseSession], dict[int, int | None]]:
    """The offers' sessions by id, and for each the place on the waiting list a
    booking would get (None while seats are left): one query."""
    sessions, queues = engine.sessions_and_queues(o.course_session_id for o in offers)
    return sessions, _queue_places(offers, queues)


def _queue_places(offers, queues: dict[int, int]) -> dict[int, int | None]:
    return {
        o.course_session_id: queues.get(o.course_session_id, 0) + 1
        if o.seats_left <= 0
        else None
        for o in offers
    }


def rows_for(
    person: User,
    suggestions: list[Suggestion],
    competences: dict[int, Competence],
    read: tuple[dict[int, CourseSession], dict[int, int]] | None = None,
) -> list[Row]:
    """The page's rows: one query, whatever the number of suggestions; none when
    the sessions and their queues are `read` already."""
    if read is None:
        sessions, places = _sessions_and_places([s.offer for s in suggestions])
    else:
        sessions = read[0]
        places = _queue_places([s.offer for s in suggestions], read[1])
    rows = []
    for s in suggestions:
        cs = sessions[s.offer.course_session_id]
        place = places[cs.id]
        if bookings.approval_reason(person, cs):
            expect = "request"
        else:
            expect = "seat" if place is None else "waitlist"
        rows.append(Row(s, cs, reason(s, competences), place, expect))
    return rows


@dataclass
class TeamRow:
    shared: SharedOffer
    course_session: CourseSession
    # (who, which of their gaps, their suggestion), most helped first
    members: list[tuple[User, str, Suggestion]] = field(default_factory=list)
    queue_place: int | None = None

    @property
    def total_price(self) -> Decimal:
        return self.shared.total_price


def team_rows(
    shared: list[SharedOffer],
    people: dict[int, User],
    competences: dict[int, Competence],
) -> list[TeamRow]:
    sessions, places = _sessions_and_places([s.offer for s in shared])
    rows = []
    for item in shared:
        sid = item.offer.course_session_id
        members = [
            (
                people[m.person_id],
                arrows(list(m.covered), competences) or reason(m, competences),
                m,
            )
            for m in ordered_members(item)
        ]
        rows.append(TeamRow(item, sessions[sid], members, places[sid]))
    return rows
