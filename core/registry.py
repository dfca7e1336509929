"""Extension points that let higher packages add to lower packages' pages without
being imported by them: navigation links, dashboard panels, links on an object's
page, sections of an object's page, demo-data loaders, and how each table holds
personal data."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, url_for


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy gettext string
    endpoint: str
    allowed: Callable[[object], bool]
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A dashboard panel: `build(user)` gives the template context, or None to hide."""

    template: str
    build: Callable[[object], dict | None]
    order: int = 100


@dataclass(frozen=True)
class PageLink:
    """A link on the page of one object (`page` names the kind, e.g. "course").

    `allowed(user, obj)` must be a pure predicate (no queries); `args(obj)` gives
    the endpoint's URL arguments.
    """

    page: str
    label: object  # a lazy gettext string
    endpoint: str
    allowed: Callable[[object, object], bool]
    args: Callable[[object], dict]
    order: int = 100


@dataclass(frozen=True)
class PageSection:
    """A section a higher package adds to the page of one object (`page` names the
    kind, e.g. "course_session"), drawn from `template`.

    `build(user, obj)` gives the section's template context, read in a fixed
    number of queries, or None to leave the section out; the lower package's view
    calls it and passes the result in, so the template runs no queries.
    """

    page: str
    template: str
    build: Callable[[object, object], dict | None]
    order: int = 100


@dataclass(frozen=True, eq=False)
class PersonalData:
    """How one table holds personal data, read by core.personal_data to give a
    person everything the platform holds about them and to erase a person.

    Every column that names a person (a foreign key to users.id, or
    `email_column`) has one part: `subject` says whose data a row is; `actors`
    name who acted or who was asked (the row stays theirs to read, but it is not
    about them); `unlink` are appointments, emptied when the person is erased.
    `parent` (column, table) makes the rows of a parent row about its subject
    the subject's too (a plan's goals).

    `free_text` is what people wrote in a row about its subject (and, with
    `text_of`, about those person columns too): emptied when the subject is
    erased and left out of anyone else's copy; `plain` is text the platform
    writes (codes, course titles). `left_out` never leaves the database, column
    -> why. `on_erase`: "keep" (the row stays, anonymised with the account) or
    "delete". `erased_text` (column -> lazy text) replaces free text that may not
    be empty (a goal in words) instead of emptying it. `label` says in the copy's
    read-me what the table holds.
    """

    table: str
    label: object  # a lazy gettext string
    subject: str | None = None
    parent: tuple[str, str] | None = None
    actors: tuple[str, ...] = ()
    unlink: tuple[str, ...] = ()
    email_column: str | None = None
    free_text: tuple[str, ...] = ()
    text_of: tuple[str, ...] = ()
    plain: tuple[str, ...] = ()
    left_out: dict[str, str] = field(default_factory=dict)
    on_erase: str = "keep"
    erased_text: dict[str, object] = field(default_factory=dict)


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    page_links: list[PageLink] = field(default_factory=list)
    page_sections: list[PageSection] = field(default_factory=list)
    seeders: list[tuple[int, Callable[[], None]]] = field(default_factory=list)
    personal_data: dict[str, PersonalData] = field(default_factory=dict)


def registry(app: Flask | None = None) -> Registry:
    app = app or current_app
    return app.extensions.setdefault("kompetence_registry", Registry())


def add_nav(app: Flask, item: NavItem) -> None:
    registry(app).nav.append(item)
    registry(app).nav.sort(key=lambda i: i.order)


def add_panel(app: Flask, panel: Panel) -> None:
    registry(app).panels.append(panel)
    registry(app).panels.sort(key=lambda p: p.order)


def add_page_link(app: Flask, link: PageLink) -> None:
    registry(app).page_links.append(link)
    registry(app).page_links.sort(key=lambda link: link.order)


def page_links_for(page: str, user, obj) -> list[tuple[str, str]]:
    """(label, url) of the links other packages add to `obj`'s page for `user`."""
    return [
        (str(link.label), url_for(link.endpoint, **link.args(obj)))
        for link in registry().page_links
        if link.page == page and link.allowed(user, obj)
    ]


def add_page_section(app: Flask, section: PageSection) -> None:
    registry(app).page_sections.append(section)
    registry(app).page_sections.sort(key=lambda s: s.order)


def page_sections_for(page: str, user, obj) -> list[tuple[str, dict]]:
    """(template, context) of the sections other packages add to `obj`'s page."""
    found = []
    for section in registry().page_sections:
        if section.page == page:
            context = section.build(user, obj)
            if context is not None:
                found.append((section.template, context))
    return found


def add_seeder(app: Flask, order: int, seeder: Callable[[], None]) -> None:
    """Register a demo-data loader; loaders run in `order` and must be idempotent."""
    registry(app).seeders.append((order, seeder))
    registry(app).seeders.sort(key=lambda s: s[0])


def nav_for(user) -> list[NavItem]:
    return [item for item in registry().nav if item.allowed(user)]


def add_personal_data(app: Flask, *rules: PersonalData) -> None:
    """Say how tables hold personal data (see PersonalData); one rule per table."""
    for rule in rules:
        if rule.table in registry(app).personal_data:
            raise ValueError(f"{rule.table} has a personal-data rule already")
        registry(app).personal_data[rule.table] = rule
