"""What the areas above the catalogue add to its pages.

The catalogue sits first in courses/ (catalogue -> sessions -> diplomas ->
bookings -> calendars) and imports none of them, yet its listing filters on
upcoming sessions and diploma modules, and a course's page shows both. Each of
those areas registers its share here from its init_app; the catalogue's pages
ask the registry and stay blind to whose share it is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app


@dataclass(frozen=True)
class ListingPart:
    """One area's share of the catalogue listing (`/kurser/`).

    `where(query, now)` gives the conditions on Course for the filters of
    `query` (a listing.CatalogueQuery) that the area answers; `order(sort, now)`
    the ORDER BY terms for a sort key it answers, else None; `facts(ids, now)`
    the template context for one page of course ids, in a fixed number of
    queries; `version` the (aggregate, table) pairs that change when the area's
    rows do, read by the listing cache.
    """

    where: Callable[[object, datetime], list]
    facts: Callable[[list[int], datetime], dict]
    order: Callable[[str, datetime], list | None] = lambda sort, now: None
    version: tuple[tuple[str, str], ...] = ()


# A course's page: `build(user, course, so_far)` gives template context for it;
# `so_far` is what the parts registered before it gave (read it, never change
# it), so a part need not load again what an earlier one did (the sessions).
CoursePagePart = Callable[[object, object, dict], dict]


# Loader options for the statement that reads a course for its page, so an
# area reads its share with the course (a joined eager load of a relationship it
# put on Course) instead of in a statement of its own.
CoursePageLoad = Callable[[], list]


@dataclass
class Contributions:
    listing: list[ListingPart]
    course_page: list[CoursePagePart]
    course_page_load: list[CoursePageLoad] = field(default_factory=list)


def contributions(app: Flask | None = None) -> Contributions:
    app = app or current_app
    return app.extensions.setdefault("catalogue_contributions", Contributions([], []))


def add_listing_part(app: Flask, part: ListingPart) -> None:
    contributions(app).listing.append(part)


def add_course_page_part(app: Flask, build: CoursePagePart) -> None:
    contributions(app).course_page.append(build)


def add_course_page_load(app: Flask, options: CoursePageLoad) -> None:
    contributions(app).course_page_load.append(options)


def course_page_options() -> list:
    """The loader options the contributing areas add to a course page's read."""
    return [
        option for options in contributions().course_page_load for option in options()
    ]


def course_page_context(user, course) -> dict:
    """The context every contributing area adds to `course`'s page for `user`."""
    context: dict = {}
    for build in contributions().course_page:
        context |= build(user, course, context)
    return context
